package io.errand.server.cli;

import io.errand.server.ErrandCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code errand ...} as a child JVM, as a person or a script runs it: real exit codes, real
 * standard output and error (to files, so that a chatty child never blocks on a full pipe),
 * and, through util-linux {@code script}, a real pseudo-terminal.
 */
final class CliProcess {
  private final Process process;
  private final Path out;
  private final Path err;

  private CliProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code errand args} with {@code env} on top of an environment without ERRAND_*. */
  static CliProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
    return launch(dir, env, java(args));
  }

  /**
   * Starts {@code errand args} inside a pseudo-terminal: {@code script -qfec CMD /dev/null}
   * gives the child a terminal for standard input and output, and passes on its exit code.
   */
  static CliProcess startInTerminal(Path dir, Map<String, String> env, String... args)
      throws IOException {
    String cmd = java(args).stream().map(CliProcess::quote).collect(Collectors.joining(" "));
    return launch(dir, env, List.of("script", "-qfec", cmd, "/dev/null"));
  }

  private static CliProcess launch(Path dir, Map<String, String> env, List<String> command)
      throws IOException {
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("ERRAND_"));
    pb.environment().putAll(env);
    return new CliProcess(pb.start(), out, err);
  }

  private static List<String> java(String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        ErrandCommand.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** Waits for the end and returns what it did. */
  Cli.Result await(Duration within) throws InterruptedException, IOException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("errand did not end within " + within + ": " + out() + err());
    }
    return new Cli.Result(process.exitValue(), out(), err());
  }

  /** Standard output so far. */
  String out() throws IOException {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  String err() throws IOException {
    return Files.readString(err, StandardCharsets.UTF_8);
  }

  long pid() {
    return process.pid();
  }

  /** Sends SIGINT, as Ctrl-C on a terminal does. */
  void interrupt() throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start()
        .waitFor();
    if (rc != 0) {
      throw new AssertionError("kill -INT " + process.pid() + " exited with " + rc);
    }
  }

  /** Ends the process and what it started (the JVM under {@code script}), if still running. */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
