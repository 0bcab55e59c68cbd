package io.errand.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a real child process: the environment's server and token, exit codes as
 * the shell sees them, and {@code monitor} on a real pseudo-terminal, on a pipe, and stopped
 * with Ctrl-C.
 */
class CliProcessTest {
  private static final String TOKEN = "proc-token-5d1e";
  private static final Duration WITHIN = Duration.ofSeconds(60);
  /** ESC [ n A: the cursor moving up n lines, which is how a frame is redrawn in place. */
  private static final Pattern CURSOR_UP = Pattern.compile("\u001b\\[\\d+A");

  @TempDir
  static Path dir;
  static CliServer server;
  static Map<String, String> env;

  @BeforeAll
  static void serve() throws IOException {
    server = CliServer.start(dir, """
        server: {port: 0, token: %s}
        store: {type: memory}
        queues:
          demo: {handler: demo, workers: 4}
          shown: {handler: demo, workers: 2}
        """.formatted(TOKEN), TOKEN);
    env = Map.of("ERRAND_SERVER", server.url(), "ERRAND_TOKEN", TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theServerAndTokenComeFromTheEnvironment() throws Exception {
    Cli.Result r = CliProcess.start(dir, env, "queues").await(WITHIN);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("QUEUE").contains("demo", "shown");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void usersSaysWhenTheConfigHasNone() throws Exception {
    Cli.Result r = CliProcess.start(dir, env, "users").await(WITHIN);
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("the server's config has no users (see docs/config.md,"
        + " 'Users')\n");
  }

  @Test
  void submitAndWaitExitCodesReachTheShell() throws Exception {
    Cli.Result ok = CliProcess.start(dir, env, "submit", "demo",
        "{\"steps\": 2, \"step_ms\": 10}", "--wait").await(WITHIN);
    assertThat(ok.code()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("SUCCESS");

    Cli.Result failed = CliProcess.start(dir, env, "submit", "demo",
        "{\"steps\": 1, \"step_ms\": 1, \"fail\": true}", "--wait").await(WITHIN);
    assertThat(failed.code()).as(failed.toString()).isEqualTo(1);
  }

  @Test
  void anUnreachableServerIsOneLineWithoutAStackTrace() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    Cli.Result r = CliProcess.start(dir, Map.of("ERRAND_SERVER", url), "list").await(WITHIN);
    assertThat(r.code()).isEqualTo(4);
    assertThat(r.err()).isEqualTo("errand: cannot reach the server at " + url + ": connection"
        + " refused; is 'errand serve' running? set --server or ERRAND_SERVER\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void monitorOnATerminalRedrawsInPlace() throws Exception {
    // Frames are awaited, not counted within a fixed duration: a loaded machine draws fewer of
    // them per second, and that is not a defect. monitorOnAPipeIsPlainText covers --duration.
    long id = server.submit("shown", "{\"steps\": 1000, \"step_ms\": 100}");
    await().atMost(WITHIN).until(() -> server.status(id).equals("RUNNING"));
    Map<String, String> terminal = new HashMap<>(env);
    terminal.put("TERM", "xterm");
    CliProcess p = CliProcess.startInTerminal(dir, terminal, "monitor", "--interval", "200ms",
        "--duration", "0");
    try {
      await().atMost(WITHIN).untilAsserted(() -> {
        String out = p.out();
        assertThat(CURSOR_UP.matcher(out).results().count()).as(out).isGreaterThanOrEqualTo(3);
        assertThat(Pattern.compile("errand monitor ").matcher(out).results().count()).as(out)
            .isGreaterThanOrEqualTo(4);
        assertThat(out).contains("\u001b[J") // erase the old frame below the cursor
            .containsPattern(id + " +shown +\\[#+-*\\] +\\d+%");
      });
    } finally {
      p.kill();
      server.api("POST", "/api/tasks/" + id + "/cancel", null);
    }
  }

  @Test
  void submitAndWaitOnATerminalRedrawsOneLine() throws Exception {
    Map<String, String> terminal = new HashMap<>(env);
    terminal.put("TERM", "xterm");
    Cli.Result r = CliProcess.startInTerminal(dir, terminal, "submit", "demo",
        "{\"steps\": 3, \"step_ms\": 200}", "--wait").await(WITHIN);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("\rtask ", "\u001b[K", "[##############################] 100%")
        .containsPattern("task \\d+ SUCCESS: \\{\"steps\":3}");
  }

  @Test
  void monitorOnAPipeIsPlainText() throws Exception {
    Cli.Result r = CliProcess.start(dir, env, "monitor", "--interval", "200ms", "--duration",
        "600ms").await(WITHIN);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).doesNotContain("\u001b").startsWith("errand monitor ")
        .endsWith("monitor ended after 600ms\n");
  }

  @Test
  void ctrlCStopsTheMonitorCleanly() throws Exception {
    CliProcess p = CliProcess.start(dir, env, "monitor", "--interval", "200ms", "--duration",
        "0");
    try {
      await().atMost(WITHIN).until(() -> p.out().contains("no task is running")
          || p.out().contains("TASK"));
      p.interrupt();
      Cli.Result r = p.await(WITHIN);
      assertThat(r.code()).isEqualTo(130);
      assertThat(r.out()).endsWith("monitor stopped\n").contains("until Ctrl-C");
      assertThat(r.err()).isEmpty();
    } finally {
      p.kill();
    }
  }
}
