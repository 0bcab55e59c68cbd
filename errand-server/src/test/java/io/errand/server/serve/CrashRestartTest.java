package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.errand.postgres.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server KILLed (as by {@code kill -9} or the OOM killer) and started again on the same data
 * directory: no program of the first run is still running once the second starts its keys and
 * recovers its tasks. The programs are quiet (they print nothing, so no broken pipe ends them)
 * and hold a connection to the test, which sees every program that is alive.
 *
 * <p>On PostgreSQL the restarted server registers as a new node row, so it takes back the
 * RUNNING task of its previous run only once that run's lease (3 s here) has passed; its keys
 * start at once. Another node on the same schema, with a data directory of its own, ends
 * nothing of a live node's.
 */
class CrashRestartTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String HOLD = "exec 3<>/dev/tcp/127.0.0.1/$0; echo \"$1\" >&3;"
      + " exec sleep 600";

  @TempDir
  Path dir;

  static Stream<Arguments> cases() {
    return Stream.of(Arguments.of("sqlite", false), Arguments.of("sqlite", true),
        Arguments.of("postgres", false), Arguments.of("postgres", true));
  }

  /**
   * With {@code guardsToo}, the guards that end a dead server's programs are KILLed with it, as
   * if they had failed: then only the record the next start reads ends the programs.
   */
  @ParameterizedTest(name = "{0}, guards killed too: {1}")
  @MethodSource("cases")
  void afterAKillTheRestartRunsOneProgramPerKeyAndNeverTwoAttemptsAtOnce(String store,
      boolean guardsToo) throws Exception {
    TestDatabase db = store.equals("postgres") ? TestDatabase.get() : null;
    String schema = db == null ? null : db.freshSchema();
    try {
      crashAndRestart(db == null ? """
            type: sqlite
            path: data/errand.db
          """ : """
            type: postgres
            url: "%s"
            schema: %s
            heartbeat: 1s
            lease: 3s
          """.formatted(db.url(), schema), db != null, guardsToo);
    } finally {
      if (db != null) {
        db.drop(schema);
      }
    }
  }

  private void crashAndRestart(String store, boolean otherNode, boolean guardsToo)
      throws Exception {
    Path config = Files.writeString(dir.resolve("errand.yaml"), """
        server:
          port: 0
        store:
        %2$s\
        shutdown_grace: 1s
        queues:
          hold:
            handler: exec
            attempts: 3
            options:
              command: [bash, -c, '%1$s', "{port}", "{name}"]
        supervisors:
          keep:
            handler: exec
            options:
              command: [bash, -c, '%1$s', "{port}", "{name}"]
        """.formatted(HOLD, store));
    // Another node on the same schema, with a data directory of its own (its working
    // directory's), and none of the queues or supervisors that run programs.
    Path otherDir = Files.createDirectories(dir.resolve("other"));
    Path otherConfig = Files.writeString(otherDir.resolve("errand.yaml"), """
        server:
          port: 0
        store:
        %s\
        queues:
          demo: {handler: demo}
        """.formatted(store));
    ServerProcess other = null;
    try (Connections programs = new Connections()) {
      long task;
      try (ServerProcess first = ServerProcess.start(dir, "serve", "--config",
          config.toString())) {
        Api api = new Api(first.awaitUrl());
        for (String key : List.of("a", "b")) {
          Api.Answer put = api.put("/api/supervisors/keep/keys/" + key, "{\"args\": {\"port\": \""
              + programs.port() + "\", \"name\": \"key " + key + "\"}}");
          assertThat(put.status()).as(put.body().toString()).isBetween(200, 201);
        }
        task = api.submit("hold", "{\"port\": \"" + programs.port()
            + "\", \"name\": \"task x 1\"}");
        await("every program to connect").atMost(PATIENCE).until(() ->
            programs.live("key a") == 1 && programs.live("key b") == 1
                && programs.live("task x") == 1);
        if (otherNode) {
          other = ServerProcess.start(otherDir, "serve", "--config", otherConfig.toString());
          new Api(other.awaitUrl()); // it has started: whatever it ends at start, it has ended
          assertThat(programs.live("key a") + programs.live("key b") + programs.live("task x"))
              .as("the first node's programs, once another node started").isEqualTo(3);
          assertThat(programs.overlaps()).isEmpty();
        }

        List<ProcessHandle> victims = new ArrayList<>();
        if (guardsToo) {
          first.process().descendants().filter(CrashRestartTest::isGuard).forEach(victims::add);
          assertThat(victims).as("the guards").isNotEmpty();
        }
        victims.add(first.process().toHandle()); // last: the guards must not see it die
        ServerProcess.kill("KILL", victims.toArray(ProcessHandle[]::new));
        assertThat(first.awaitExit(PATIENCE)).isEqualTo(137);
      }

      try (ServerProcess second = ServerProcess.start(dir, "serve", "--config",
          config.toString())) {
        Api api = new Api(second.awaitUrl());
        await("the keys to run again and the task's second attempt").atMost(PATIENCE)
            .until(() -> programs.total("key a") == 2 && programs.total("key b") == 2
                && programs.total("task x") == 2);
        assertThat(programs.overlaps()).isEmpty();
        assertThat(programs.live("key a")).isEqualTo(1);
        assertThat(programs.live("key b")).isEqualTo(1);
        assertThat(programs.live("task x")).isEqualTo(1);
        assertThat(api.task(task).path("attempt").asInt()).isEqualTo(2);

        second.term();
        assertThat(second.awaitExit(PATIENCE)).isZero();
        // Checked at once: a server ends its programs before it exits.
        assertThat(programs.live("key a") + programs.live("key b") + programs.live("task x"))
            .as("programs alive after the server exited").isZero();
      }
    } finally {
      if (other != null) {
        other.close();
      }
    }
  }

  private static boolean isGuard(ProcessHandle h) {
    return h.info().arguments().map(a -> List.of(a).contains("errand-guard")).orElse(false);
  }
}
