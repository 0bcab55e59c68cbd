package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004's test suite (basic, concurrent, progress, error, time-out, and the 1,000-task /
 * 20-worker stress test) played against a real server over HTTP, on SQLite.
 */
class Seed004OverHttpTest {
  @TempDir
  static Path dir;
  static ErrandServer server;
  static Api api;

  @BeforeAll
  static void serve() throws Exception {
    Path config = Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0}
        store: {type: sqlite, path: data/errand.db}
        queues:
          basic:      {process: scripts.task.Send, worker_nums: 2}
          concurrent: {handler: demo, workers: 10}
          progress:   {handler: demo, workers: 1}
          error:      {handler: demo, attempts: 2, retry_after: 50ms}
          timeout:    {handler: demo, worker_nums: 1, timeout: 1, attempts: 1}
          stress:     {handler: demo, worker_nums: 20, size: 1000}
        """);
    server = ErrandServer.start(new ConfigLoader(Map.of()).load(config));
    api = new Api(server.url());
  }

  @AfterAll
  static void stop() {
    server.shutdown();
  }

  private static String status(long id) {
    return api.task(id).path("status").asText();
  }

  @Test
  void basic() {
    long id = api.submit("basic", "{\"to\": \"ann@example.com\"}");
    JsonNode first = api.task(id);
    assertThat(first.path("id").asLong()).isEqualTo(id);
    assertThat(first.path("status").asText()).isIn("WAITING", "RUNNING", "SUCCESS");
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("SUCCESS"));
    JsonNode done = api.task(id);
    assertThat(done.path("response").path("sent").asText()).isEqualTo("ann@example.com");
    assertThat(done.path("current").asLong()).isEqualTo(done.path("total").asLong());
  }

  @Test
  void concurrent() {
    List<Long> ids = IntStream.range(0, 40).parallel() // submitters on several threads
        .mapToObj(i -> api.submit("concurrent", "{\"steps\": 5, \"step_ms\": 40}")).toList();
    AtomicInteger mostRunning = new AtomicInteger();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      int running = api.get("/api/queues/concurrent").body().path("counts").path("running")
          .asInt();
      mostRunning.accumulateAndGet(running, Math::max);
      return ids.stream().allMatch(id -> status(id).equals("SUCCESS"));
    });
    assertThat(ids).hasSize(40).doesNotHaveDuplicates();
    assertThat(mostRunning.get()).as("tasks seen running at once").isBetween(2, 10);
  }

  @Test
  void progress() {
    long id = api.submit("progress", "{\"steps\": 10, \"step_ms\": 100}");
    List<Long> seen = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode t = api.task(id);
      long current = t.path("current").asLong();
      if (seen.isEmpty() || seen.get(seen.size() - 1) != current) {
        seen.add(current);
      }
      return t.path("status").asText().equals("SUCCESS");
    });
    assertThat(seen).as("progress seen while it ran").anyMatch(c -> c > 0 && c < 10);
    assertThat(seen).isSorted();
    assertThat(api.task(id).path("message").asText()).isEqualTo("step 10 of 10");
  }

  @Test
  void error() {
    long id = api.submit("error", "{\"steps\": 1, \"step_ms\": 1, \"fail\": true}");
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("FAILURE"));
    JsonNode t = api.task(id);
    assertThat(t.path("attempt").asInt()).isEqualTo(2);
    assertThat(t.path("message").asText()).contains("failed at step 1");
    assertThat(t.path("errors")).hasSize(2);
  }

  @Test
  void timeout() {
    long id = api.submit("timeout", "{\"steps\": 100, \"step_ms\": 100}");
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("FAILURE"));
    assertThat(api.task(id).path("message").asText()).containsIgnoringCase("time");
  }

  @Test
  void stressOneThousandTasksOnTwentyWorkers() {
    List<Long> ids = new ArrayList<>();
    for (int batch = 0; batch < 20; batch++) {
      String args = String.join(",", java.util.Collections.nCopies(50,
          "{\"steps\": 1, \"step_ms\": 5}"));
      Api.Answer a = api.post("/api/queues/stress/batches", "{\"tasks\": [" + args + "]}");
      assertThat(a.status()).as(String.valueOf(a.body())).isEqualTo(201);
      a.body().path("ids").forEach(n -> ids.add(n.asLong()));
    }
    assertThat(ids).hasSize(1000).doesNotHaveDuplicates();
    await().atMost(Duration.ofSeconds(120)).until(() -> {
      JsonNode counts = api.get("/api/queues/stress").body().path("counts");
      return counts.path("waiting").asInt() == 0 && counts.path("running").asInt() == 0;
    });
    long succeeded = ids.stream().filter(id -> status(id).equals("SUCCESS")).count();
    assertThat(succeeded).isEqualTo(1000);
  }
}
