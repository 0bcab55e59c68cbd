package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.EventType;
import io.errand.api.TaskEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Schedules over HTTP: create, read, update, pause, resume, run now, next, delete, errors. */
class ApiSchedulesTest {
  private Fixture f;
  private Http http;

  @BeforeEach
  void start() {
    f = new Fixture();
    http = f.http;
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void aScheduleGoesThroughItsWholeLifeOverHttp() {
    String path = "/api/schedules/nightly";
    Http.Response put = http.put(path, "{\"queue\": \"other\", \"spec\": \"30 2 * * *\","
        + " \"zone\": \"Europe/Berlin\", \"args\": {\"report\": \"daily\", \"api_key\": \"k\"},"
        + " \"missed\": \"run_once\", \"overlap\": \"queue_one\", \"jitter\": \"30s\"}");
    assertThat(put.status()).isEqualTo(201);
    JsonNode s = put.json();
    assertThat(s.fieldNames()).toIterable().containsExactly("name", "queue", "spec",
        "description", "args", "missed", "overlap", "jitter", "start", "end", "state",
        "next_due", "held", "next", "last_run");
    assertThat(s.get("spec").asText()).isEqualTo("CRON_TZ=Europe/Berlin 30 2 * * *");
    assertThat(s.get("description").asText()).isEqualTo("every day at 02:30, Europe/Berlin");
    assertThat(s.get("args").get("report").asText()).isEqualTo("daily");
    assertThat(s.get("args").get("api_key").asText()).isNotEqualTo("k");
    assertThat(s.get("missed").asText()).isEqualTo("run_once");
    assertThat(s.get("overlap").asText()).isEqualTo("queue_one");
    assertThat(s.get("jitter").asText()).isEqualTo("PT30S");
    assertThat(s.get("state").asText()).isEqualTo("ACTIVE");
    assertThat(s.get("next")).hasSize(3);
    assertThat(s.get("last_run").isNull()).isTrue();

    Http.Response updated = http.put(path, "{\"queue\": \"other\", \"spec\": \"every 15m\"}");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().get("description").asText()).isEqualTo("every 15 minutes");

    assertThat(http.post(path + "/pause", "").json().get("state").asText()).isEqualTo("PAUSED");
    assertThat(http.get(path).json().get("state").asText()).isEqualTo("PAUSED");
    assertThat(http.post(path + "/resume", "").json().get("state").asText())
        .isEqualTo("ACTIVE");

    Http.Response run = http.post(path + "/run-now", "");
    assertThat(run.status()).isEqualTo(202);
    long task = run.json().get("task_id").asLong();
    await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCESS".equals(
        http.get(path).json().get("last_run").path("status").asText()));
    assertThat(http.get(path).json().get("last_run").get("task_id").asLong()).isEqualTo(task);

    Http.Response next = http.get(path + "/next?n=4");
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().get("next")).hasSize(4);

    assertThat(http.get("/api/schedules").json().get("schedules"))
        .extracting(n -> n.get("name").asText()).containsExactly("nightly");
    assertThat(http.delete(path).status()).isEqualTo(204);
    expectError(http.get(path), 404, "unknown_schedule", "nightly");
  }

  @Test
  void badDefinitionsAre400NamingTheFieldAndPosition() {
    Http.Response cron = http.put("/api/schedules/n", "{\"queue\": \"other\","
        + " \"spec\": \"0 61 * * *\"}");
    expectError(cron, 400, "invalid_body", "field 'spec'");
    assertThat(cron.json().get("error").get("message").asText()).isEqualTo("field 'spec': cron"
        + " '0 61 * * *': hour field '61' is out of range 0-23 (column 3)");
    Http.Response zone = http.put("/api/schedules/n", "{\"queue\": \"other\","
        + " \"spec\": \"0 1 * * *\", \"zone\": \"Mars/Olympus\"}");
    expectError(zone, 400, "invalid_body", "field 'zone'");
    assertThat(zone.json().get("error").get("message").asText())
        .startsWith("field 'zone': zone 'Mars/Olympus' is not a known time zone");
    expectError(http.put("/api/schedules/n", "{\"queue\": \"nope\", \"spec\": \"@hourly\"}"),
        404, "unknown_queue", "nope");
    expectError(http.put("/api/schedules/n", "{\"spec\": \"@hourly\"}"), 400, "invalid_body",
        "fields 'queue' and 'spec' are required");
    expectError(http.put("/api/schedules/n", "{\"queue\": \"other\", \"spec\": \"@hourly\","
        + " \"jitter\": \"soon\"}"), 400, "invalid_body", "field 'jitter'");
    expectError(http.get("/api/schedules/nope/next?n=x"), 400, "invalid_query", "n");
    assertThat(http.get("/api/schedules").json().get("schedules")).isEmpty();
  }

  @Test
  void scheduleEventsHaveTheirOwnFieldsInTheEventLog() {
    List<TaskEvent> seen = new CopyOnWriteArrayList<>();
    f.errand.listen("schedule-events", seen::add);
    http.put("/api/schedules/now", "{\"queue\": \"other\", \"spec\": \"every 1s\"}");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream()
        .anyMatch(e -> e.type() == EventType.SCHEDULE_FIRED));
    TaskEvent fired = seen.stream().filter(e -> e.type() == EventType.SCHEDULE_FIRED)
        .findFirst().orElseThrow();
    JsonNode view = new Views(new ObjectMapper(), Map.of()).event(fired);
    assertThat(view.fieldNames()).toIterable().containsExactly("type", "schedule", "queue",
        "task_id", "message", "at");
    assertThat(view.get("schedule").asText()).isEqualTo("now");
    assertThat(view.get("task_id").asLong()).isPositive();
    await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/metrics").body()
        .contains("errand_schedule_fired_total{queue=\"other\",schedule=\"now\"}"));
    assertThat(http.get("/metrics").body()).contains("errand_schedule_lag_seconds_count{"
        + "schedule=\"now\"}");
  }
}
