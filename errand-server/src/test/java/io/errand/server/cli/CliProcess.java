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
  /**
   * Whether this JVM was started with SIGINT ignored, as a shell does for a command it starts
   * in the background without job control ({@code mvn verify &} in a script, nohup, some CI
   * runners). A child inherits that, and a JVM started with SIGINT ignored keeps ignoring it
   * (POSIX: it installs no handler), so {@link #interrupt} would never reach {@code errand
   * monitor}, which would run until killed. A person's Ctrl-C reaches a foreground command whose
   * SIGINT is not ignored: {@code env --default-signal=INT} gives the child that.
   */
  private static final boolean SIGINT_IGNORED = sigintIgnored();

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
    List<String> argv = new ArrayList<>();
    if (SIGINT_IGNORED) {
      argv.addAll(List.of("env", "--default-signal=INT"));
    }
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("ERRAND_"));
    pb.environment().putAll(env);
    return new CliProcess(pb.start(), out, err);
  }

  /** Bit 2 (SIGINT) of the ignored-signals mask in /proc/self/status, where Linux has one. */
  private static boolean sigintIgnored() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: nothing to correct here.
    }
    return false;
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
