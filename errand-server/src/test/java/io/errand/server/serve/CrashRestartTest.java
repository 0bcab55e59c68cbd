package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server KILLed (as by {@code kill -9} or the OOM killer) and started again on the same data
 * directory: no program of the first run is still running once the second starts its keys and
 * recovers its tasks. The programs are quiet (they print nothing, so no broken pipe ends them)
 * and hold a connection to the test, which sees every program that is alive.
 */
class CrashRestartTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String HOLD = "exec 3<>/dev/tcp/127.0.0.1/$0; echo \"$1\" >&3;"
      + " exec sleep 600";

  @TempDir
  Path dir;

  /**
   * With {@code guardsToo}, the guards that end a dead server's programs are KILLed with it, as
   * if they had failed: then only the record the next start reads ends the programs.
   */
  @ParameterizedTest(name = "guards killed too: {0}")
  @ValueSource(booleans = {false, true})
  void afterAKillTheRestartRunsOneProgramPerKeyAndNeverTwoAttemptsAtOnce(boolean guardsToo)
      throws Exception {
    Path config = Files.writeString(dir.resolve("errand.yaml"), """
        server:
          port: 0
        store:
          type: sqlite
          path: data/errand.db
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
        """.formatted(HOLD));
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
    }
  }

  private static boolean isGuard(ProcessHandle h) {
    return h.info().arguments().map(a -> List.of(a).contains("errand-guard")).orElse(false);
  }
}
