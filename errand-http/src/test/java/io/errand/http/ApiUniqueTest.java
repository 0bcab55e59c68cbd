package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.TaskInfo;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Unique keys with a period, states and a conflict mode through {@code POST .../tasks}. */
class ApiUniqueTest {
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

  private static Http.Response submit(String body) {
    return http.post("/api/queues/work/tasks", body);
  }

  @Test
  void debounceAnswers200AndPushesTheWaitingTasksRunTime() {
    Http.Response first = submit("{\"args\": 1, \"key\": \"deb\", \"delay\": \"1h\", "
        + "\"on_conflict\": \"debounce\"}");
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    long id = first.json().get("id").asLong();
    assertThat(first.json().has("on_conflict")).isFalse();

    Http.Response again = submit("{\"args\": 2, \"key\": \"deb\", \"delay\": \"2h\", "
        + "\"on_conflict\": \"debounce\"}");
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().get("id").asLong()).isEqualTo(id);
    assertThat(again.json().get("created").asBoolean()).isFalse();
    assertThat(again.json().get("on_conflict").asText()).isEqualTo("debounce");
    TaskInfo t = f.errand.get(id).orElseThrow();
    assertThat(t.runAt()).isAfter(Instant.now().plus(Duration.ofMinutes(119)));
    assertThat(http.post("/api/tasks/" + id + "/cancel", "").status()).isEqualTo(200);
  }

  @Test
  void replaceGivesTheWaitingTaskTheLatestArgs() {
    long id = submit("{\"args\": {\"v\": 1}, \"key\": \"rep\", \"delay\": \"1h\", "
        + "\"on_conflict\": \"replace\"}").json().get("id").asLong();
    Http.Response again = submit("{\"args\": {\"v\": 2}, \"key\": \"rep\", "
        + "\"on_conflict\": \"replace\"}");
    assertThat(again.json().get("on_conflict").asText()).isEqualTo("replace");
    assertThat(http.get("/api/tasks/" + id).json().get("args").toString())
        .isEqualTo("{\"v\":2}");
    assertThat(http.post("/api/tasks/" + id + "/cancel", "").status()).isEqualTo(200);
  }

  @Test
  void aPeriodKeepsAFinishedTaskHoldingTheKey() {
    long id = submit("{\"args\": 1, \"key\": \"per\", \"unique_period\": \"1h\"}")
        .json().get("id").asLong();
    f.awaitFinished(id);
    Http.Response again = submit("{\"args\": 1, \"key\": \"per\", \"unique_period\": \"1h\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("id").asLong()).isEqualTo(id);
    assertThat(again.json().get("on_conflict").asText()).isEqualTo("return");
    Http.Response states = submit("{\"args\": 1, \"key\": \"per\", "
        + "\"unique_states\": [\"FAILURE\"]}");
    assertThat(states.status()).as("a SUCCESS task does not hold it for FAILURE only")
        .isEqualTo(201);
  }

  @Test
  void badUniquenessIsRefusedNamingTheSettingAndWhatIsAllowed() {
    expectError(submit("{\"args\": 1, \"key\": \"b\", \"unique_period\": \"0s\"}"), 400,
        "invalid_body", "'unique_period' must be more than 0");
    expectError(submit("{\"args\": 1, \"key\": \"b\", \"unique_period\": -5}"), 400,
        "invalid_body", "unique_period");
    expectError(submit("{\"args\": 1, \"key\": \"b\", \"unique_states\": [\"DONE\"]}"), 400,
        "invalid_task", "unknown state 'DONE'; allowed: WAITING, RUNNING, SUCCESS");
    expectError(submit("{\"args\": 1, \"key\": \"b\", \"unique_states\": []}"), 400,
        "invalid_body", "unique_states");
    expectError(submit("{\"args\": 1, \"key\": \"b\", \"on_conflict\": \"merge\"}"), 400,
        "invalid_task", "on_conflict must be one of return, replace, debounce; was 'merge'");
    expectError(submit("{\"args\": 1, \"on_conflict\": \"debounce\"}"), 400,
        "invalid_body", "need a 'key'");
  }

  @Test
  void aBatchWithACallbackAnswersItsIdAndRunsItOnceTheBatchSucceeded() {
    Http.Response r = http.post("/api/queues/work/batches", "{\"tasks\": [1, 2], "
        + "\"callback\": {\"queue\": \"work\", \"args\": {\"fanin\": true}, \"on\": \"end\"}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    long callback = r.json().get("callback").asLong();
    assertThat(r.json().get("ids")).hasSize(2);
    TaskInfo done = f.awaitFinished(callback);
    assertThat(done.status().name()).isEqualTo("SUCCESS");
    assertThat(done.args()).isEqualTo(java.util.Map.of("fanin", true));
  }

  @Test
  void aBadCallbackIsRefusedNamingTheField() {
    expectError(http.post("/api/queues/work/batches", "{\"tasks\": [1], \"callback\": {}}"),
        400, "invalid_body", "field 'callback.queue' is required");
    expectError(http.post("/api/queues/work/batches",
        "{\"tasks\": [1], \"callback\": {\"queue\": \"nowhere\"}}"),
        400, "invalid_body", "field 'callback.queue': there is no queue 'nowhere'");
    expectError(http.post("/api/queues/work/batches",
        "{\"tasks\": [1], \"callback\": {\"queue\": \"work\", \"on\": \"always\"}}"),
        400, "invalid_task", "callback 'on' must be success or end; was 'always'");
    expectError(http.post("/api/queues/work/batches", "{\"tasks\": [1], \"callback\": 3}"),
        400, "invalid_body", "field 'callback' must be an object");
  }
}
