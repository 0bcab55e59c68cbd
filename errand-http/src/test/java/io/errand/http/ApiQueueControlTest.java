package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pause, resume and drain of a queue over HTTP, and their errors. */
class ApiQueueControlTest {
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
  void aPausedQueueTakesSubmitsRunsNoneAndRunsThemOnResume() {
    Http.Response paused = http.post("/api/queues/work/pause", "");
    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    assertThat(paused.json().get("queue").asText()).isEqualTo("work");
    assertThat(paused.json().get("paused").asBoolean()).isTrue();
    assertThat(paused.json().get("changed").asBoolean()).isTrue();
    assertThat(paused.json().get("paused_since").asText()).endsWith("Z");
    assertThat(http.post("/api/queues/work/pause", "").json().get("changed").asBoolean())
        .isFalse();

    long waiting = f.submit("work", "{\"n\": 1}");
    f.awaitFinished(f.submit("other", "{\"n\": 2}")); // the workers run: the pause holds work
    assertThat(f.errand.get(waiting).map(TaskInfo::status)).contains(TaskStatus.WAITING);
    JsonNode queue = http.get("/api/queues/work").json();
    assertThat(queue.get("paused").asBoolean()).isTrue();
    assertThat(http.get("/api/tasks/" + waiting).json().get("held_back").asText())
        .startsWith("queue 'work' is paused since ");
    assertThat(http.get("/api/queues/other").json().get("paused").asBoolean()).isFalse();

    Http.Response resumed = http.post("/api/queues/work/resume", "");
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().get("paused").asBoolean()).isFalse();
    assertThat(resumed.json().get("paused_since").isNull()).isTrue();
    assertThat(resumed.json().get("changed").asBoolean()).isTrue();
    assertThat(f.awaitFinished(waiting).status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(http.get("/api/tasks/" + waiting).json().has("held_back"))
        .as("only a waiting task says what holds it").isFalse();
  }

  @Test
  void drainSaysWhetherTheQueueEmptiedInTime() {
    long running = f.submit("work", "{\"gate\": \"drain\"}");
    f.awaitStatus(running, TaskStatus.RUNNING);

    Http.Response early = http.post("/api/queues/work/drain", "{\"timeout\": 0}");
    assertThat(early.status()).as(early.toString()).isEqualTo(200);
    assertThat(early.json().get("drained").asBoolean()).isFalse();
    assertThat(early.json().get("running").asLong()).isEqualTo(1);
    assertThat(early.json().get("paused").asBoolean()).isTrue();

    f.open("drain");
    Http.Response done = http.post("/api/queues/work/drain", "{\"timeout\": \"30s\"}");
    assertThat(done.json().get("drained").asBoolean()).as(done.toString()).isTrue();
    assertThat(done.json().get("running").asLong()).isZero();
    assertThat(f.awaitFinished(running).status()).isEqualTo(TaskStatus.SUCCESS);
  }

  @Test
  void aBadDrainTimeoutIsRefusedNamingTheFieldTheValueAndTheRange() {
    expectError(http.post("/api/queues/work/drain", "{\"timeout\": \"11m\"}"), 400,
        "invalid_body", "field 'timeout' must be a duration from 0 to 10m");
    expectError(http.post("/api/queues/work/drain", "{\"timeout\": -5}"), 400,
        "invalid_body", "-5");
    expectError(http.post("/api/queues/work/drain", "{\"timeout\": true}"), 400,
        "invalid_body", "field 'timeout'");
    expectError(http.post("/api/queues/work/drain", "{\"deadline\": \"1s\"}"), 400,
        "invalid_body", "unknown field 'deadline'");
    expectError(http.post("/api/queues/nope/pause", ""), 404, "unknown_queue", "'nope'");
    assertThat(f.errand.control("work").isPaused()).as("a refused drain pauses nothing")
        .isFalse();
  }
}
