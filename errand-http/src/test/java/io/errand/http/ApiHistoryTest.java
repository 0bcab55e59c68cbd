package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/history} on a SQLite store: the queues' counts of the last hour and day, read
 * back from the store's buckets, and its errors.
 */
class ApiHistoryTest {
  @TempDir
  Path dir;
  private Fixture f;
  private Http http;

  @BeforeEach
  void start() {
    f = new Fixture(null, b -> b, SqliteStore.at(dir.resolve("errand.db")));
    http = f.http;
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void theLastHourAndDayCountWhatEachQueueDid() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(f.submit("work", "{\"n\": " + i + "}"));
    }
    ids.add(f.submit("work", "{\"fail\": true}"));
    ids.add(f.submit("other", "1"));
    ids.forEach(f::awaitFinished);

    // The ends are counted as each attempt is over, just after the task is seen finished.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode work = queue(http.get("/api/history?queue=work").json(), "work");
      assertThat(sum(work, "succeeded")).isEqualTo(3);
      assertThat(sum(work, "failed")).isEqualTo(1);
      assertThat(sum(work, "started")).isEqualTo(4);
    });
    JsonNode hour = http.get("/api/history").json();
    assertThat(hour.get("range").asText()).isEqualTo("hour");
    assertThat(hour.get("step_seconds").asLong()).isEqualTo(60);
    assertThat(queue(hour, "work").get("points")).hasSize(60);
    assertThat(sum(queue(hour, "other"), "succeeded")).isEqualTo(1);
    JsonNode day = http.get("/api/history?range=day").json();
    assertThat(day.get("step_seconds").asLong()).isEqualTo(900);
    assertThat(queue(day, "work").get("points")).hasSize(96);
    assertThat(sum(queue(day, "work"), "succeeded")).isEqualTo(3);
    JsonNode last = queue(day, "work").get("points").get(95);
    assertThat(last.get("run_ms_max").asLong()).isGreaterThanOrEqualTo(last.get("run_ms_avg")
        .asLong());
  }

  @Test
  void aBadRangeIs400AndAnUnknownQueue404() {
    expectError(http.get("/api/history?range=week"), 400, "invalid_query",
        "'range' must be hour or day, got 'week'");
    expectError(http.get("/api/history?queue=nope"), 404, "unknown_queue", "nope");
    expectError(http.get("/api/history?rang=day"), 400, "invalid_query", "rang");
  }

  private static JsonNode queue(JsonNode history, String name) {
    for (JsonNode q : history.get("queues")) {
      if (q.get("queue").asText().equals(name)) {
        return q;
      }
    }
    throw new AssertionError("no queue " + name + " in " + history);
  }

  private static long sum(JsonNode queue, String field) {
    long n = 0;
    for (JsonNode p : queue.get("points")) {
      n += p.get(field).asLong();
    }
    return n;
  }
}
