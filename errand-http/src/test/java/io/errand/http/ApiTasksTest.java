package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tasks over HTTP: read, list, cancel, delete, external progress, and their errors. */
class ApiTasksTest {
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
  void aFailedTaskShowsItsErrorAsResponse() {
    long id = f.submit("work", "{\"fail\": true}");
    f.awaitFinished(id);
    JsonNode t = http.get("/api/tasks/" + id).json();
    assertThat(t.get("status").asText()).isEqualTo("FAILURE");
    assertThat(t.get("response").get("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(t.get("response").get("message").asText()).isEqualTo("asked to fail");
    assertThat(t.get("errors")).hasSize(1);
    assertThat(t.get("errors").get(0).get("attempt").asInt()).isEqualTo(1);
  }

  @Test
  void listingPagesNewestFirstWithACursor() {
    Set<Long> mine = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      mine.add(submitted(http.post("/api/queues/other/tasks", "{\"args\": " + i + "}")));
    }
    mine.forEach(f::awaitFinished);

    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Http.Response r = http.get("/api/tasks?queue=other&status=SUCCESS&limit=3"
          + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).isEqualTo(200);
      JsonNode tasks = r.json().get("tasks");
      assertThat(tasks.size()).isLessThanOrEqualTo(3);
      tasks.forEach(t -> {
        assertThat(t.get("queue").asText()).isEqualTo("other");
        assertThat(t.get("status").asText()).isEqualTo("SUCCESS");
        seen.add(t.get("id").asLong());
      });
      JsonNode next = r.json().get("next_cursor");
      cursor = next.isNull() ? null : next.asText();
      pages++;
    } while (cursor != null && pages < 100);

    assertThat(seen).containsAll(mine).doesNotHaveDuplicates();
    assertThat(seen).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(pages).isGreaterThanOrEqualTo(3);
  }

  @Test
  void listingRefusesBadParametersNamingTheAllowedValues() {
    expectError(http.get("/api/tasks?status=DONE"), 400, "invalid_query",
        "[WAITING, RUNNING, SUCCESS, FAILURE, CANCELLED]");
    expectError(http.get("/api/tasks?limit=0"), 400, "invalid_query", "from 1 to 1000");
    expectError(http.get("/api/tasks?limit=lots"), 400, "invalid_query", "'limit'");
    expectError(http.get("/api/tasks?cursor=-1"), 400, "invalid_query", "'cursor'");
    expectError(http.get("/api/tasks?state=RUNNING"), 400, "invalid_query",
        "the parameters are queue, status, limit, cursor");
    expectError(http.get("/api/tasks?queue=nope"), 404, "unknown_queue", "'nope'");
    assertThat(http.get("/api/tasks?status=success&limit=1").status()).isEqualTo(200);
  }

  @Test
  void unknownAndMalformedTaskIds() {
    expectError(http.get("/api/tasks/99999999"), 404, "unknown_task", "there is no task 99999999");
    expectError(http.get("/api/tasks/abc"), 400, "invalid_id", "positive whole numbers");
    expectError(http.get("/api/tasks/-3"), 400, "invalid_id", "'-3'");
    expectError(http.post("/api/tasks/99999999/cancel", ""), 404, "unknown_task", "99999999");
    expectError(http.delete("/api/tasks/99999999"), 404, "unknown_task", "99999999");
    expectError(http.post("/api/tasks/99999999/progress", "{\"current\": 1}"), 404,
        "unknown_task", "99999999");
  }

  @Test
  void cancellingARunningTaskStopsItAndSaysSo() {
    long id = f.submit("work", "{\"gate\": \"never-cancel\"}");
    f.awaitStatus(id, TaskStatus.RUNNING);

    Http.Response r = http.post("/api/tasks/" + id + "/cancel", "{\"reason\": \"changed my mind\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("result").asText()).isEqualTo("stopping");
    assertThat(r.json().get("id").asLong()).isEqualTo(id);

    f.awaitFinished(id);
    JsonNode t = http.get("/api/tasks/" + id).json();
    assertThat(t.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(t.get("cancel_reason").asText()).isEqualTo("changed my mind");

    Http.Response again = http.post("/api/tasks/" + id + "/cancel", "");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("result").asText()).isEqualTo("already_finished");
    assertThat(again.json().get("status").asText()).isEqualTo("CANCELLED");
  }

  @Test
  void cancellingAWaitingTaskEndsItAtOnce() {
    long id = submitted(http.post("/api/queues/work/tasks", "{\"args\": 1, \"delay\": \"1h\"}"));
    Http.Response r = http.post("/api/tasks/" + id + "/cancel", "");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("result").asText()).isEqualTo("cancelled");
    assertThat(r.json().get("status").asText()).isEqualTo("CANCELLED");
    assertThat(http.get("/api/tasks/" + id).json().get("cancel_reason").asText())
        .isEqualTo("cancelled through the API");
    expectError(http.post("/api/tasks/" + id + "/cancel", "{\"why\": \"x\"}"), 400,
        "invalid_body", "unknown field 'why'; the fields are reason");
  }

  @Test
  void deletingARunningTaskCancelsItThenForgetsIt() {
    long id = f.submit("work", "{\"gate\": \"never-delete\"}");
    f.awaitStatus(id, TaskStatus.RUNNING);

    Http.Response r = http.delete("/api/tasks/" + id);
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> http.get("/api/tasks/" + id).status() == 404);
    expectError(http.delete("/api/tasks/" + id), 404, "unknown_task", String.valueOf(id));
  }

  @Test
  void anExternalWorkerReportsProgressWhileTheTaskRuns() {
    long id = f.submit("work", "{\"gate\": \"progress\"}");
    f.awaitStatus(id, TaskStatus.RUNNING);

    Http.Response r = http.post("/api/tasks/" + id + "/progress",
        "{\"current\": 40, \"total\": 100, \"message\": \"copying\"}");
    assertThat(r.status()).isEqualTo(204);
    JsonNode t = http.get("/api/tasks/" + id).json();
    assertThat(t.get("current").asLong()).isEqualTo(40);
    assertThat(t.get("total").asLong()).isEqualTo(100);
    assertThat(t.get("message").asText()).isEqualTo("copying");

    // Fields left out keep their value.
    assertThat(http.post("/api/tasks/" + id + "/progress", "{\"current\": 60}").status())
        .isEqualTo(204);
    t = http.get("/api/tasks/" + id).json();
    assertThat(t.get("current").asLong()).isEqualTo(60);
    assertThat(t.get("total").asLong()).isEqualTo(100);
    assertThat(t.get("message").asText()).isEqualTo("copying");

    expectError(http.post("/api/tasks/" + id + "/progress", "{\"current\": -1}"), 400,
        "invalid_body", "field 'current' must be a whole number from 0");
    expectError(http.post("/api/tasks/" + id + "/progress", "{\"total\": 3}"), 400,
        "invalid_body", "field 'current' is missing");
    expectError(http.post("/api/tasks/" + id + "/progress", "{\"current\": 1, \"pct\": 3}"), 400,
        "invalid_body", "the fields are current, total, message");

    f.open("progress");
    f.awaitFinished(id);
    expectError(http.post("/api/tasks/" + id + "/progress", "{\"current\": 99}"), 409,
        "task_not_running", "is SUCCESS; progress is taken only while a task is RUNNING");
    long waiting = submitted(http.post("/api/queues/work/tasks",
        "{\"args\": 1, \"delay\": \"1h\"}"));
    expectError(http.post("/api/tasks/" + waiting + "/progress", "{\"current\": 1}"), 409,
        "task_not_running", "is WAITING");
    http.post("/api/tasks/" + waiting + "/cancel", "");
  }

  static long submitted(Http.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  static void expectError(Http.Response r, int status, String code, String messagePart) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.header("Content-Type")).as(r.toString()).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    assertThat(r.json().fieldNames()).toIterable().as(r.toString()).containsExactly("error");
    assertThat(r.errorCode()).as(r.toString()).isEqualTo(code);
    assertThat(r.errorMessage()).as(r.toString()).contains(messagePart);
  }
}
