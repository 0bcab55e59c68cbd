package io.errand.server.serve;

import io.errand.server.ErrandCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** {@code errand serve} in a child JVM, as an operator runs it: real process, real signals. */
final class ServerProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("serving on (http://\\S+)");
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private ServerProcess(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon(true).start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("(output closed: " + e.getMessage() + ")");
      }
    });
  }

  /** Starts {@code errand <args>} in {@code dir}, stderr merged into the lines. */
  static ServerProcess start(Path dir, String... args) throws IOException {
    return start(dir, Map.of(), args);
  }

  /**
   * Starts {@code errand <args>} in {@code dir} with {@code env} added to this JVM's
   * environment (without its ERRAND_* variables), stderr merged into the lines.
   */
  static ServerProcess start(Path dir, Map<String, String> env, String... args)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), ErrandCommand.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    // The server reads ERRAND_PORT, ERRAND_BIND and ERRAND_TOKEN: only a test's own count.
    pb.environment().keySet().removeIf(k -> k.startsWith("ERRAND_"));
    pb.environment().putAll(env);
    return new ServerProcess(pb.start());
  }

  /** Waits for the "serving on" line and returns the URL it names. */
  URI awaitUrl() {
    // A bound, not a timing: a child JVM took over 60 s to start at load 30-40 (2 cores), and
    // the wait ends as soon as it prints or dies.
    Awaitility.await("the server to print its URL").atMost(Duration.ofMinutes(3))
        .until(() -> url() != null || !process.isAlive());
    URI url = url();
    if (url == null) {
      throw new AssertionError("the server did not start: " + lines);
    }
    return url;
  }

  private URI url() {
    for (String l : lines) {
      Matcher m = URL.matcher(l);
      if (m.find()) {
        return URI.create(m.group(1));
      }
    }
    return null;
  }

  /** Everything it printed so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * Sends a real SIGTERM with {@code kill}, as an operator or a service manager does.
   * ({@link Process#destroy()} sends one too, but also closes our end of its output.)
   */
  void term() throws IOException, InterruptedException {
    kill("TERM", process.toHandle());
  }

  /**
   * Sends {@code signal} with one {@code kill} command to {@code processes}, in that order.
   */
  static void kill(String signal, ProcessHandle... processes)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
    for (ProcessHandle h : processes) {
      cmd.add(Long.toString(h.pid()));
    }
    int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new AssertionError(String.join(" ", cmd) + " exited with " + rc);
    }
  }

  Process process() {
    return process;
  }

  /** Waits for the process to end and returns its exit code. */
  int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the server did not exit within " + within + ": " + lines);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }
}
