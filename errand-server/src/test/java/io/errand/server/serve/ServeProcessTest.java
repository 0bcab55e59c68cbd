package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code errand serve} as a real process: start-up, real SIGTERM, restart on the same file. */
class ServeProcessTest {
  @TempDir
  Path dir;

  private Path config(String grace) throws IOException {
    return Files.writeString(dir.resolve("errand.yaml"), """
        server:
          port: 0
        store:
          type: sqlite
          path: data/errand.db
        shutdown_grace: %s
        queues:
          slow:
            handler: exec
            workers: 2
            attempts: 1
            options: {command: [sleep, "{secs}"]}
        """.formatted(grace));
  }

  @Test
  void sigtermDrainsAnswers503AndNothingIsLostAcrossTheRestart() throws Exception {
    Path config = config("1s");
    List<Long> accepted = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--config", config.toString())) {
      Api api = new Api(server.awaitUrl());
      for (int i = 0; i < 6; i++) { // sleep does not yield early: the drain takes the grace
        accepted.add(api.submit("slow", "{\"secs\": 2}"));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> api.task(accepted.get(0))
          .path("status").asText().equals("RUNNING"));

      server.term();
      AtomicBoolean refused = new AtomicBoolean();
      await("a submit answered 503 while draining").atMost(Duration.ofSeconds(20)).until(() -> {
        Api.Answer a = api.post("/api/queues/slow/tasks", "{\"args\": {\"secs\": 0}}");
        if (a.status() == 201) {
          accepted.add(a.id()); // accepted before the signal landed: it must survive too
        }
        if (a.status() == 503) {
          assertThat(a.body().path("error").path("message").asText()).containsIgnoringCase(
              "shutting down");
          refused.set(true);
        }
        return refused.get();
      });
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(String.join("\n", server.lines())).contains("draining").contains("requeued");
    }

    try (ServerProcess again = ServerProcess.start(dir, "serve", "--config", config.toString())) {
      Api api = new Api(again.awaitUrl());
      await("every accepted task to succeed after the restart").atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> {
            for (long id : accepted) {
              assertThat(api.task(id).path("status").asText()).as("task " + id)
                  .isEqualTo("SUCCESS");
            }
          });
      again.term();
      assertThat(again.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void aSubmitSentAfterTheDrainIsAnnouncedIsRefused() throws Exception {
    Path config = config("5s");
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--config", config.toString())) {
      Api api = new Api(server.awaitUrl());
      long id = api.submit("slow", "{\"secs\": 3}");
      await().atMost(Duration.ofSeconds(30)).until(() -> api.task(id).path("status").asText()
          .equals("RUNNING"));

      server.term();
      await("the drain's announcement").atMost(Duration.ofSeconds(30))
          .until(() -> server.lines().stream().anyMatch(l -> l.contains("draining")));
      Api.Answer after = api.post("/api/queues/slow/tasks", "{\"args\": {\"secs\": 0}}");

      assertThat(after.status()).as("a submit after the announcement: %s", after.body())
          .isEqualTo(503);
      assertThat(after.body().path("error").path("code").asText()).isEqualTo("shutting_down");
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void aSecondSignalExitsWithoutWaiting() throws Exception {
    Path config = config("60s");
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--config", config.toString())) {
      Api api = new Api(server.awaitUrl());
      long id = api.submit("slow", "{\"secs\": 600}");
      await().atMost(Duration.ofSeconds(30)).until(() -> api.task(id).path("status").asText()
          .equals("RUNNING"));
      List<ProcessHandle> children = server.process().descendants().toList();
      assertThat(children).as("the task's sleep process").isNotEmpty();
      server.term();
      await().atMost(Duration.ofSeconds(30)).until(() -> server.lines().stream()
          .anyMatch(l -> l.contains("send it again")));
      server.term();
      assertThat(server.awaitExit(Duration.ofSeconds(15))).isEqualTo(128 + 15);
      await("the task's program ended with the server").atMost(Duration.ofSeconds(10))
          .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }
  }

  @Test
  void withoutAConfigItServesTheDemoQueueOnLoopbackWithSqliteInErrandData() throws Exception {
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--port", "0")) {
      URI url = server.awaitUrl();
      assertThat(url.getHost()).isEqualTo("127.0.0.1");
      Api api = new Api(url);
      long id = api.submit("demo", "{\"steps\": 2, \"step_ms\": 10}");
      await().atMost(Duration.ofSeconds(30)).until(() -> api.task(id).path("status").asText()
          .equals("SUCCESS"));
      assertThat(dir.resolve("errand-data/errand.db")).exists();
      server.term();
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void aBadConfigStopsStartUpWithOneLineAndExitCode2() throws Exception {
    Files.writeString(dir.resolve("errand.yaml"), """
        queues:
          slow:
            handler: demo
            workers: -3
        """);
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--config", "errand.yaml")) {
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(server.lines()).hasSize(1);
      assertThat(server.lines().get(0)).startsWith("errand: ")
          .contains("errand.yaml").contains("queues.slow.workers").contains("-3");
    }
  }

  @Test
  void anUnknownHandlerIsNamedWithASuggestion() throws Exception {
    Files.writeString(dir.resolve("errand.yaml"), """
        queues:
          jobs:
            handler: exex
        """);
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--config", "errand.yaml")) {
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(server.lines()).singleElement().asString()
          .contains("queues.jobs.handler").contains("unknown handler 'exex'")
          .contains("did you mean 'exec'?");
    }
  }
}
