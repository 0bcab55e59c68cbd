package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static io.errand.http.ApiTasksTest.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health, queues and adding tasks over HTTP, and their errors. */
class ApiQueuesTest {
  private static Fixture f;
  private static Http http;

  @BeforeAll
  static void start() {
    f = new Fixture();
    http = f.http;
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void healthSaysOkWithTheStoreAndTheNumberOfQueues() {
    Http.Response r = http.get("/api/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("ok");
    assertThat(r.json().get("store").asText()).isEqualTo("ok");
    assertThat(r.json().get("queues").asInt()).isEqualTo(3);
    assertThat(r.json().get("supervisors").asInt()).isEqualTo(1);
  }

  @Test
  void queuesShowTheirSettingsAndLiveCounts() {
    Http.Response all = http.get("/api/queues");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().get("queues")).extracting(q -> q.get("name").asText())
        .containsExactly("work", "other", "tiny");

    Http.Response work = http.get("/api/queues/work");
    assertThat(work.status()).isEqualTo(200);
    JsonNode q = work.json();
    assertThat(q.get("workers").asInt()).isEqualTo(4);
    assertThat(q.get("capacity").asInt()).isEqualTo(100_000);
    assertThat(q.get("timeout").isNull()).isTrue();
    assertThat(q.get("attempts").asInt()).isEqualTo(1);
    assertThat(q.get("backoff").get("type").asText()).isEqualTo("fixed");
    assertThat(q.get("backoff").get("delay").asText()).isEqualTo("PT1S");
    assertThat(q.get("cancel_grace").asText()).isEqualTo("PT5S");
    assertThat(q.get("retention").asText()).isEqualTo("PT24H");
    assertThat(q.get("threads").asText()).isEqualTo("VIRTUAL");
    assertThat(q.get("counts").fieldNames()).toIterable().containsExactly("waiting", "running",
        "running_here", "succeeded", "failed", "cancelled", "retried", "abandoned");
    assertThat(q.get("run_time_ms").has("p99")).isTrue();

    Http.Response none = http.get("/api/queues/nope");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.errorCode()).isEqualTo("unknown_queue");
    assertThat(none.errorMessage()).contains("'nope'").contains("work");
  }

  @Test
  void theNodesViewOfAServerAloneIsItself() {
    long id = f.submit("work", "{\"gate\": \"nodes\"}");
    f.awaitStatus(id, io.errand.api.TaskStatus.RUNNING);
    try {
      JsonNode nodes = http.get("/api/nodes").json();
      assertThat(nodes.get("clustered").asBoolean()).isFalse();
      assertThat(nodes.get("nodes")).hasSize(1);
      JsonNode self = nodes.get("nodes").get(0);
      assertThat(self.get("self").asBoolean()).isTrue();
      assertThat(self.get("alive").asBoolean()).isTrue();
      assertThat(self.get("running").asLong()).isPositive();
      assertThat(self.get("id").isNull()).isTrue();
    } finally {
      f.open("nodes");
    }
  }

  @Test
  void aSubmittedTaskRunsAndShowsEveryField() {
    Http.Response r = http.post("/api/queues/work/tasks",
        "{\"args\": {\"n\": 1, \"s\": \"x\"}, \"priority\": 7, \"key\": \"k-every\"}");
    assertThat(r.status()).isEqualTo(201);
    long id = r.json().get("id").asLong();
    assertThat(r.json().get("status").asText()).isIn("WAITING", "RUNNING", "SUCCESS");
    assertThat(r.header("Location")).contains("/api/tasks/" + id);
    f.awaitFinished(id);

    Http.Response got = http.get("/api/tasks/" + id);
    assertThat(got.status()).isEqualTo(200);
    JsonNode t = got.json();
    assertThat(t.fieldNames()).toIterable().containsExactly("id", "queue", "status", "current",
        "total", "message", "response", "args", "attempt", "errors", "created_at", "started_at",
        "finished_at", "run_at", "key", "priority", "group", "cancel_reason");
    assertThat(t.get("id").asLong()).isEqualTo(id);
    assertThat(t.get("queue").asText()).isEqualTo("work");
    assertThat(t.get("status").asText()).isEqualTo("SUCCESS");
    assertThat(t.get("args").toString()).isEqualTo("{\"n\":1,\"s\":\"x\"}");
    assertThat(t.get("response").get("echo").get("n").asInt()).isEqualTo(1);
    assertThat(t.get("attempt").asInt()).isEqualTo(1);
    assertThat(t.get("errors").isEmpty()).isTrue();
    assertThat(Instant.parse(t.get("created_at").asText())).isBeforeOrEqualTo(
        Instant.parse(t.get("finished_at").asText()));
    assertThat(Instant.parse(t.get("started_at").asText())).isNotNull();
    assertThat(Instant.parse(t.get("run_at").asText())).isNotNull();
    assertThat(t.get("key").asText()).isEqualTo("k-every");
    assertThat(t.get("priority").asInt()).isEqualTo(7);
    assertThat(t.get("group").isNull()).isTrue();
    assertThat(t.get("cancel_reason").isNull()).isTrue();
  }

  @Test
  void delayAndRunAtPostponeTheFirstAttempt() {
    long delayed = submitted(http.post("/api/queues/work/tasks",
        "{\"args\": null, \"delay\": \"1h\"}"));
    TaskInfo d = f.errand.get(delayed).orElseThrow();
    assertThat(d.status()).isEqualTo(TaskStatus.WAITING);
    assertThat(d.runAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));

    long inMillis = submitted(http.post("/api/queues/work/tasks",
        "{\"args\": 1, \"delay\": 3600000}"));
    assertThat(f.errand.get(inMillis).orElseThrow().runAt())
        .isAfter(Instant.now().plus(Duration.ofMinutes(59)));

    long at = submitted(http.post("/api/queues/work/tasks",
        "{\"args\": 1, \"run_at\": \"2100-01-01T10:00:00+01:00\"}"));
    assertThat(f.errand.get(at).orElseThrow().runAt())
        .isEqualTo(Instant.parse("2100-01-01T09:00:00Z"));

    for (long id : List.of(delayed, inMillis, at)) {
      assertThat(http.post("/api/tasks/" + id + "/cancel", "").status()).isEqualTo(200);
    }
  }

  @Test
  void aKeyReturnsTheLiveTaskInsteadOfAddingAnother() {
    String body = "{\"args\": {\"gate\": \"dedup\"}, \"key\": \"only-one\"}";
    long first = submitted(http.post("/api/queues/work/tasks", body));
    Http.Response again = http.post("/api/queues/work/tasks", body);
    assertThat(again.status()).isEqualTo(200); // found, not created
    assertThat(again.json().get("id").asLong()).isEqualTo(first);
    assertThat(again.json().get("created").asBoolean()).isFalse();
    assertThat(again.header("Location")).contains("/api/tasks/" + first);
    f.open("dedup");
    f.awaitFinished(first);
  }

  @Test
  void aBatchAddsAGroupOfTasks() {
    Http.Response r = http.post("/api/queues/other/batches",
        "{\"tasks\": [{\"n\": 1}, {\"n\": 2}, \"three\"]}");
    assertThat(r.status()).isEqualTo(201);
    long group = r.json().get("group").asLong();
    assertThat(group).isPositive();
    List<Long> ids = new ArrayList<>();
    r.json().get("ids").forEach(n -> ids.add(n.asLong()));
    assertThat(ids).hasSize(3);
    for (long id : ids) {
      f.awaitFinished(id);
      JsonNode t = http.get("/api/tasks/" + id).json();
      assertThat(t.get("group").asLong()).isEqualTo(group);
      assertThat(t.get("status").asText()).isEqualTo("SUCCESS");
    }
    assertThat(http.get("/api/tasks/" + ids.get(2)).json().get("response").asText())
        .isEqualTo("three");
  }

  @Test
  void badBatchBodiesAreRefusedWithTheShapeToSend() {
    for (String body : List.of("{\"tasks\": []}", "{\"tasks\": {}}", "{\"args\": [1]}", "{}")) {
      Http.Response r = http.post("/api/queues/other/batches", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.errorCode()).as(body).isEqualTo("invalid_body");
      assertThat(r.errorMessage()).as(body).contains("tasks");
    }
    Http.Response unknown = http.post("/api/queues/nope/batches", "{\"tasks\": [1]}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("unknown_queue");
  }

  @Test
  void submitErrorsSayWhatIsWrong() {
    expectError(http.post("/api/queues/nope/tasks", "{\"args\": 1}"), 404, "unknown_queue",
        "there is no queue 'nope'; the queues are work, other, tiny");
    expectError(http.post("/api/queues/work/tasks", "{\"args\": 1,"), 400, "malformed_json",
        "not valid JSON");
    expectError(http.post("/api/queues/work/tasks", "[1, 2]"), 400, "invalid_body",
        "must be a JSON object, got an array");
    expectError(http.post("/api/queues/work/tasks", "{\"args\": 1, \"prio\": 3}"), 400,
        "invalid_body", "unknown field 'prio'; the fields are args, delay, run_at, key, priority");
    expectError(http.post("/api/queues/work/tasks", "{\"priority\": 3}"), 400, "invalid_body",
        "field 'args' is missing");
    expectError(http.post("/api/queues/work/tasks", "{\"args\": 1, \"priority\": \"high\"}"),
        400, "invalid_body", "field 'priority' must be a whole number");
    expectError(http.post("/api/queues/work/tasks", "{\"args\": 1, \"priority\": 1.5}"),
        400, "invalid_body", "field 'priority' must be a whole number");
    expectError(http.post("/api/queues/work/tasks", "{\"args\": 1, \"delay\": \"soon\"}"),
        400, "invalid_body", "'soon' is not a duration");
    expectError(http.post("/api/queues/work/tasks", "{\"args\": 1, \"delay\": -5}"),
        400, "invalid_body", "field 'delay' must be from 0 to 36525 days (100 years)");
    expectError(http.post("/api/queues/work/tasks", "{\"args\": 1, \"run_at\": \"tomorrow\"}"),
        400, "invalid_body", "ISO-8601");
    expectError(http.post("/api/queues/work/tasks",
        "{\"args\": 1, \"delay\": \"1s\", \"run_at\": \"2100-01-01T00:00:00Z\"}"),
        400, "invalid_body", "not both");
    expectError(http.post("/api/queues/work/tasks", "{\"args\": 1, \"key\": \" \"}"),
        400, "invalid_task", "key must be 1-512 characters");
    expectError(http.post("/api/queues/work/tasks", "{\"args\": 1, \"key\": 5}"),
        400, "invalid_body", "field 'key' must be a string");
    expectError(http.post("/api/queues/work/tasks", ""), 400, "missing_body",
        "needs a JSON object body");
    expectError(http.post("/api/queues/work/tasks", "{\"args\": 1, \"args\": 2}"), 400,
        "malformed_json", "Duplicate field 'args'");
    expectError(http.send("POST", "/api/queues/work/tasks", "args=1",
        "application/x-www-form-urlencoded"), 415, "unsupported_media_type",
        "with curl -d, add -H 'Content-Type: application/json'");
    expectError(http.post("/api/queues/work/tasks?wait=true", "{\"args\": 1}"), 400,
        "invalid_query", "unknown query parameter 'wait'");
  }

  @Test
  void aFullQueueAnswers429() {
    long waiting = submitted(http.post("/api/queues/tiny/tasks",
        "{\"args\": null, \"delay\": \"1h\"}"));
    Http.Response full = http.post("/api/queues/tiny/tasks", "{\"args\": null}");
    expectError(full, 429, "queue_full", "queue 'tiny' is full");
    assertThat(full.header("Retry-After")).contains(ErrorMapper.FULL_RETRY_AFTER);
    assertThat(http.post("/api/tasks/" + waiting + "/cancel", "{}").status()).isEqualTo(200);
    assertThat(http.post("/api/queues/tiny/tasks", "{\"args\": null}").status()).isEqualTo(201);
  }
}
