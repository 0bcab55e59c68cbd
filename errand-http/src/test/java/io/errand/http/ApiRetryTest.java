package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/tasks/{id}/retry}: a finished task's queue and arguments, as a new task. */
class ApiRetryTest {
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
  void aFailedTaskRunsAgainAsANewTaskWithItsQueueArgumentsAndPriority() {
    long id = f.errand.submit("work", Map.of("fail", true, "n", 3), SubmitOptions.prioritized(4));
    f.awaitFinished(id);

    Http.Response r = http.post("/api/tasks/" + id + "/retry", "");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    long retry = r.json().get("id").asLong();
    assertThat(retry).isNotEqualTo(id);
    assertThat(r.json().get("retry_of").asLong()).isEqualTo(id);
    assertThat(r.json().get("created").asBoolean()).isTrue();
    assertThat(r.json().get("status").asText()).isIn("WAITING", "RUNNING", "FAILURE");
    assertThat(r.header("Location")).hasValue("/api/tasks/" + retry);

    TaskInfo again = f.awaitFinished(retry);
    assertThat(again.queue()).isEqualTo("work");
    assertThat(again.args()).isEqualTo(Map.of("fail", true, "n", 3));
    assertThat(again.priority()).isEqualTo(4);
    assertThat(again.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(f.errand.get(id).orElseThrow().status()).as("the old task stays as it was")
        .isEqualTo(TaskStatus.FAILURE);
  }

  @Test
  void succeededAndCancelledTasksCanBeRetriedToo() {
    long ok = f.submit("other", "{\"x\": 1}");
    f.awaitFinished(ok);
    long cancelled = f.submit("work", "{\"gate\": \"retry-cancelled\"}");
    f.awaitStatus(cancelled, TaskStatus.RUNNING);
    http.post("/api/tasks/" + cancelled + "/cancel", "{}");
    f.awaitStatus(cancelled, TaskStatus.CANCELLED);

    for (long id : new long[] {ok, cancelled}) {
      Http.Response r = http.post("/api/tasks/" + id + "/retry", "{}");
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      JsonNode answer = r.json();
      assertThat(answer.get("retry_of").asLong()).isEqualTo(id);
      TaskInfo old = f.errand.get(id).orElseThrow();
      TaskInfo fresh = f.errand.get(answer.get("id").asLong()).orElseThrow();
      assertThat(fresh.queue()).isEqualTo(old.queue());
      assertThat(fresh.args()).isEqualTo(old.args());
    }
    f.open("retry-cancelled");
  }

  @Test
  void aLiveTaskIs409SayingToWaitOrCancelFirst() {
    long id = f.submit("work", "{\"gate\": \"retry-live\"}");
    f.awaitStatus(id, TaskStatus.RUNNING);
    expectError(http.post("/api/tasks/" + id + "/retry", ""), 409, "task_not_finished",
        "task " + id + " is RUNNING; only a finished task");
    assertThat(f.errand.list(TaskQuery.newest(1000)).items())
        .filteredOn(t -> t.queue().equals("work") && t.args() instanceof Map<?, ?> m
            && "retry-live".equals(m.get("gate")))
        .hasSize(1);
    f.open("retry-live");
    f.awaitFinished(id);
  }

  @Test
  void withAKeyThatALiveTaskHoldsThatTaskIsAnsweredAndNothingIsAdded() {
    long first = f.errand.submit("work", Map.of("n", 1), SubmitOptions.keyed("retry-key"));
    f.awaitFinished(first);
    long live = f.errand.submit("work", Map.of("gate", "retry-key"),
        SubmitOptions.keyed("retry-key"));
    f.awaitStatus(live, TaskStatus.RUNNING);

    Http.Response r = http.post("/api/tasks/" + first + "/retry", "");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("id").asLong()).isEqualTo(live);
    assertThat(r.json().get("created").asBoolean()).isFalse();
    assertThat(r.json().get("retry_of").asLong()).isEqualTo(first);
    f.open("retry-key");
  }

  @Test
  void unknownTasksBadIdsAndBodyFieldsAreRefused() {
    expectError(http.post("/api/tasks/999999/retry", ""), 404, "unknown_task", "no task 999999");
    expectError(http.post("/api/tasks/abc/retry", ""), 400, "invalid_id", "'abc'");
    long id = f.submit("other", "1");
    f.awaitFinished(id);
    expectError(http.post("/api/tasks/" + id + "/retry", "{\"delay\": \"1s\"}"), 400,
        "invalid_body", "unknown field 'delay'");
    expectError(http.get("/api/tasks/" + id + "/retry"), 405, "method_not_allowed", "POST");
  }
}
