package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.server.process.ProcessTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that stops, gracefully or at once, leaves no program behind, even one that ignores
 * TERM with a grace longer than its queue's cancel grace (the drain abandons its task before
 * the program's own grace runs out).
 */
class ShutdownEndsProgramsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private Path config(String shutdownGrace) throws Exception {
    return Files.writeString(dir.resolve("errand.yaml"), """
        server:
          port: 0
        store:
          type: sqlite
          path: data/errand.db
        shutdown_grace: %s
        queues:
          stubborn:
            handler: exec
            attempts: 1
            cancel_grace: 2s
            options:
              command: [sh, -c, "trap '' TERM; sleep 600 & sleep 600 & wait"]
              grace: 6s
        """.formatted(shutdownGrace));
  }

  @Test
  void aGracefulShutdownKillsAProgramThatIgnoresTermBeforeTheServerExits() throws Exception {
    Path config = config("1s");
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--config",
        config.toString())) {
      Api api = new Api(server.awaitUrl());
      api.submit("stubborn", "{}");
      List<ProcessHandle> tree = awaitTree(server);

      server.term();
      assertThat(server.awaitExit(PATIENCE)).isZero();

      // No waiting: the JVM has exited, so whatever it did not end is running now.
      assertThat(tree).as("the program's processes after the server exited")
          .allMatch(ProcessTree::ended);
      assertThat(String.join("\n", server.lines()))
          .contains("queues.stubborn.options.grace: grace 6s is longer than the queue's"
              + " cancel_grace 2s")
          .contains("processes that the drain left running");
    }
  }

  @Test
  void aSecondSigtermExitsAtOnceKillingThePrograms() throws Exception {
    Path config = config("60s");
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--config",
        config.toString())) {
      Api api = new Api(server.awaitUrl());
      api.submit("stubborn", "{}");
      List<ProcessHandle> tree = awaitTree(server);

      server.term();
      await("the drain to begin").atMost(PATIENCE)
          .until(() -> String.join("\n", server.lines()).contains("send it again"));
      server.term();
      assertThat(server.awaitExit(PATIENCE)).isEqualTo(128 + 15);

      assertThat(tree).as("the program's processes after the server exited")
          .allMatch(ProcessTree::ended);
    }
  }

  /** The processes the server started for the task, once both sleeps run. */
  private static List<ProcessHandle> awaitTree(ServerProcess server) {
    await("the program and its two sleeps").atMost(PATIENCE).until(() -> server.process()
        .descendants().filter(h -> h.info().command().orElse("").endsWith("/sleep")
            && h.info().arguments().map(a -> List.of(a).contains("600")).orElse(false))
        .count() == 2);
    List<ProcessHandle> tree = server.process().descendants().toList();
    assertThat(tree).hasSizeGreaterThanOrEqualTo(3);
    return tree;
  }
}
