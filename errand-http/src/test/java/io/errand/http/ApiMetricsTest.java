package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: Prometheus text with the per-queue series. */
class ApiMetricsTest {
  private Fixture f;

  @BeforeEach
  void start() {
    f = new Fixture();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void perQueueSeriesFollowTheTasks() {
    for (int i = 0; i < 3; i++) {
      f.awaitFinished(f.submit("work", String.valueOf(i)));
    }
    f.awaitFinished(f.submit("work", "{\"fail\": true}"));
    long cancelled = f.submit("work", "{\"gate\": \"metrics\"}");
    f.awaitStatus(cancelled, TaskStatus.RUNNING);
    long waiting = f.submit("work", "{\"gate\": \"metrics-waiting\"}");
    f.awaitStatus(waiting, TaskStatus.RUNNING);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String text = scrape();
      assertThat(value(text, "errand_tasks_running", "queue=\"work\"")).isEqualTo(2);
      assertThat(value(text, "errand_tasks_waiting", "queue=\"work\"")).isZero();
      assertThat(value(text, "errand_queue_capacity", "queue=\"tiny\"")).isEqualTo(1);
    });

    f.http.post("/api/tasks/" + cancelled + "/cancel", "");
    f.awaitFinished(cancelled);
    f.open("metrics-waiting");
    f.awaitFinished(waiting);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String text = scrape();
      assertThat(value(text, "errand_tasks_completed_total",
          "outcome=\"success\",queue=\"work\"")).isEqualTo(4);
      assertThat(value(text, "errand_tasks_completed_total",
          "outcome=\"failure\",queue=\"work\"")).isEqualTo(1);
      assertThat(value(text, "errand_tasks_completed_total",
          "outcome=\"cancelled\",queue=\"work\"")).isEqualTo(1);
      assertThat(value(text, "errand_tasks_submitted_total", "queue=\"work\"")).isEqualTo(6);
      assertThat(value(text, "errand_tasks_retries_total", "queue=\"work\"")).isZero();
      assertThat(value(text, "errand_tasks_abandoned_total", "queue=\"work\"")).isZero();
      assertThat(value(text, "errand_task_run_seconds_count",
          "outcome=\"success\",queue=\"work\"")).isEqualTo(4);
      assertThat(value(text, "errand_task_run_seconds_count",
          "outcome=\"cancelled\",queue=\"work\"")).isEqualTo(1);
      assertThat(value(text, "errand_task_wait_seconds_count", "queue=\"work\"")).isEqualTo(6);
      assertThat(value(text, "errand_tasks_running", "queue=\"work\"")).isZero();
    });
    String text = scrape();
    assertThat(text).contains("# TYPE errand_task_run_seconds histogram")
        .contains("errand_task_run_seconds_bucket{outcome=\"success\",queue=\"work\",le=")
        .contains("errand_task_wait_seconds_bucket{queue=\"work\",le=")
        .contains("errand_tasks_waiting{queue=\"other\"}")
        .contains("errand_events_dropped_total{listener=\"http-events\"}")
        .contains("errand_sse_clients")
        .contains("jvm_memory_used_bytes");
  }

  private String scrape() {
    Http.Response r = f.http.get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type").orElseThrow()).startsWith("text/plain");
    return r.body();
  }

  /** The value of the series {@code name{labels}}, which must be there. */
  private static double value(String text, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$")
        .matcher(text);
    assertThat(m.find()).as(name + "{" + labels + "} in\n" + text).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
