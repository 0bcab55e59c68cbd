package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Server-Sent-Events stream: delivery, filters, resume with Last-Event-ID, gaps. */
class ApiEventsTest {
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
  void eachEventComesWithItsTypeAnIncreasingIdAndTheTaskFields() {
    try (SseStream s = connect("/api/events", null)) {
      long id = f.submit("work", "{\"n\": 1}");
      List<SseStream.Event> events = s.until(e -> isOf(e, id, "SUCCEEDED"));
      List<SseStream.Event> mine = events.stream().filter(e -> taskOf(e) == id).toList();
      assertThat(mine).extracting(SseStream.Event::type)
          .containsExactly("ADDED", "STARTED", "SUCCEEDED");
      assertThat(events).extracting(e -> seqOf(e.id())).isSorted().doesNotHaveDuplicates();
      assertThat(events).extracting(e -> runOf(e.id())).as("one run").containsOnly(
          runOf(s.lastEventId()));
      JsonNode done = mine.get(2).json();
      assertThat(done.get("type").asText()).isEqualTo("SUCCEEDED");
      assertThat(done.get("queue").asText()).isEqualTo("work");
      assertThat(done.get("status").asText()).isEqualTo("SUCCESS");
      assertThat(done.get("attempt").asInt()).isEqualTo(1);
      assertThat(runOf(mine.get(2).id()) + "-" + done.get("seq").asText())
          .isEqualTo(mine.get(2).id());
      assertThat(done.has("at")).isTrue();
    }
  }

  @Test
  void filtersKeepOnlyTheQueueOrTheTaskAskedFor() {
    long gated = f.submit("work", "{\"gate\": \"filtered\"}");
    f.awaitStatus(gated, TaskStatus.RUNNING);
    try (SseStream byQueue = connect("/api/events?queue=other", null);
        SseStream byTask = connect("/api/events?task=" + gated, null)) {
      long inWork = f.submit("work", "{\"n\": 2}");
      f.awaitFinished(inWork);
      assertThat(http.post("/api/tasks/" + gated + "/progress",
          "{\"current\": 1, \"total\": 2, \"message\": \"half\"}").status()).isEqualTo(204);
      f.open("filtered");
      long inOther = f.submit("other", "{\"n\": 3}");

      List<SseStream.Event> others = byQueue.until(e -> isOf(e, inOther, "SUCCEEDED"));
      assertThat(others).allSatisfy(e -> assertThat(e.json().get("queue").asText())
          .isEqualTo("other"));
      assertThat(others).extracting(SseStream.Event::type)
          .containsExactly("ADDED", "STARTED", "SUCCEEDED");

      List<SseStream.Event> task = byTask.until(e -> isOf(e, gated, "SUCCEEDED"));
      assertThat(task).allSatisfy(e -> assertThat(taskOf(e)).isEqualTo(gated));
      assertThat(task).extracting(SseStream.Event::type).containsExactly("PROGRESS", "SUCCEEDED");
      assertThat(task.get(0).json().get("message").asText()).isEqualTo("half");
      assertThat(task.get(0).json().get("total").asLong()).isEqualTo(2);
    }
  }

  @Test
  void supervisorEventsNameTheSupervisorAndKey() {
    try (SseStream s = connect("/api/events?queue=accounts", null)) {
      http.put("/api/supervisors/accounts/keys/acme", "{\"args\": 1}");
      SseStream.Event started = s.next();
      assertThat(started.type()).isEqualTo("KEY_STARTED");
      JsonNode j = started.json();
      assertThat(j.get("supervisor").asText()).isEqualTo("accounts");
      assertThat(j.get("key").asText()).isEqualTo("acme");
      assertThat(j.get("instance").asLong()).isPositive();
    }
  }

  @Test
  void aClientThatReconnectsWithLastEventIdGetsWhatItMissedOnceThenLiveEvents() {
    List<SseStream.Event> first;
    String lastId;
    long a = 0;
    try (SseStream s = connect("/api/events?queue=work", null)) {
      a = f.submit("work", "{\"n\": \"a\"}");
      long ida = a;
      first = s.until(e -> isOf(e, ida, "SUCCEEDED"));
      lastId = s.lastEventId();
    }
    // While disconnected:
    long b = f.submit("work", "{\"n\": \"b\"}");
    long c = f.submit("work", "{\"n\": \"c\"}");
    f.awaitFinished(b);
    f.awaitFinished(c);

    try (SseStream s = connect("/api/events?queue=work", lastId)) {
      long d = f.submit("work", "{\"n\": \"d\"}");
      List<SseStream.Event> second = s.until(e -> isOf(e, d, "SUCCEEDED"));

      assertThat(second).noneMatch(e -> e.type().equals("gap"));
      long ida = a;
      assertThat(second).noneMatch(e -> taskOf(e) == ida);
      for (long id : List.of(b, c, d)) {
        assertThat(second.stream().filter(e -> taskOf(e) == id).map(SseStream.Event::type))
            .as("events of task " + id).containsExactly("ADDED", "STARTED", "SUCCEEDED");
      }
      List<Long> ids = new ArrayList<>();
      first.forEach(e -> ids.add(seqOf(e.id())));
      second.forEach(e -> ids.add(seqOf(e.id())));
      assertThat(ids).isSorted().doesNotHaveDuplicates();
      Set<String> kinds = new HashSet<>();
      second.forEach(e -> assertThat(kinds.add(taskOf(e) + e.type())).as("twice: " + e).isTrue());
    }
  }

  @Test
  void aClientFurtherBehindThanTheBufferIsToldOfTheGap() {
    try (Fixture small = new Fixture(null, b -> b.eventBuffer(16));
        SseStream watcher = connect(small.http, "/api/events", null)) {
      String lastId;
      try (SseStream s = connect(small.http, "/api/events", null)) {
        lastId = s.lastEventId();
      }
      long last = 0;
      for (int i = 0; i < 10; i++) { // 30 events, more than the 16 buffered
        last = small.submit("other", String.valueOf(i));
      }
      long lastTask = last;
      watcher.until(e -> isOf(e, lastTask, "SUCCEEDED")); // all of them are in the log now

      try (SseStream s = connect(small.http, "/api/events", lastId)) {
        SseStream.Event gap = s.next();
        assertThat(gap.type()).isEqualTo("gap");
        assertThat(gap.json().get("message").asText())
            .contains("events after id " + lastId + " are no longer buffered");
        SseStream.Event next = s.next();
        assertThat(seqOf(next.id())).isGreaterThan(seqOf(lastId) + 1);
        List<SseStream.Event> rest = s.until(e -> isOf(e, lastTask, "SUCCEEDED"));
        assertThat(rest).noneMatch(e -> e.type().equals("gap"));
      }

      // An id of this run that no stream sent is a gap; one of no run of this server, a reset.
      try (SseStream future = connect(small.http, "/api/events", runOf(lastId) + "-999999")) {
        assertThat(future.next().type()).isEqualTo("gap");
      }
      try (SseStream bare = connect(small.http, "/api/events", "999999")) {
        assertThat(bare.next().type()).isEqualTo("reset");
      }
    }
  }

  @Test
  void aClientThatDoesNotReadDelaysNeitherTheEngineNorOtherClients() throws Exception {
    // A buffer that holds every event of the test, so that the reading client (which parses
    // each event) never falls out of it, whatever this machine's speed.
    try (Fixture big = new Fixture(null, b -> b.eventBuffer(100_000));
        java.net.Socket stuck = new java.net.Socket()) {
      stuck.setReceiveBufferSize(4096);
      stuck.connect(new java.net.InetSocketAddress("127.0.0.1", big.server.port()));
      stuck.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: x\r\n"
          + "Accept: text/event-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      stuck.getOutputStream().flush();
      try (SseStream reader = connect(big.http, "/api/events?queue=other", null)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> metric(big, "errand_sse_clients") == 2);
        int n = 10_000; // about 7 MB of events: more than the stuck socket's buffers hold
        StringBuilder batch = new StringBuilder("{\"tasks\": [0");
        for (int i = 1; i < n; i++) {
          batch.append(',').append(i);
        }
        Http.Response r = big.http.post("/api/queues/other/batches", batch.append("]}").toString());
        assertThat(r.status()).isEqualTo(201);
        long last = r.json().get("ids").get(n - 1).asLong();

        List<SseStream.Event> events = reader.until(e -> isOf(e, last, "SUCCEEDED"));
        assertThat(events).noneMatch(e -> e.type().equals("gap"));
        assertThat(events.stream().filter(e -> e.type().equals("SUCCEEDED")).count())
            .isEqualTo(n);
        assertThat(big.errand.metrics("other").succeeded()).isEqualTo(n);
        assertThat(metric(big, "errand_events_dropped_total{listener=\"http-events\"}")).isZero();
        assertThat(metric(big, "errand_sse_clients")).isEqualTo(2);
      }
    }
  }

  @Test
  void badParametersAreRefusedBeforeStreaming() {
    expectError(http.get("/api/events?task=abc"), 400, "invalid_query", "'task'");
    expectError(http.get("/api/events?queue=nope"), 404, "unknown_queue", "'nope'");
    expectError(http.get("/api/events?topic=x"), 400, "invalid_query", "queue, task");
    expectError(http.send(http.request("/api/events").header("Last-Event-ID", "soon").GET()
        .build()), 400, "invalid_last_event_id", "'soon'");
    expectError(http.send(http.request("/api/events").header("Last-Event-ID", "Run-1").GET()
        .build()), 400, "invalid_last_event_id", "<run>-<number>");
  }

  private static double metric(Fixture fixture, String series) {
    for (String line : fixture.http.get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no series " + series);
  }

  private SseStream connect(String path, String lastEventId) {
    return connect(http, path, lastEventId);
  }

  static SseStream connect(Http http, String path, String lastEventId) {
    SseStream s = SseStream.open(http, path, lastEventId);
    assertThat(s.status).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(s::connected);
    return s;
  }

  /** The number in the run of a one-node stream's id ({@code <run>-<seq>}). */
  static long seqOf(String id) {
    assertThat(id).as("an id of a one-node stream").matches("[0-9a-z]+-[0-9]+");
    return Long.parseLong(id.substring(id.indexOf('-') + 1));
  }

  /** The run of a one-node stream's id. */
  static String runOf(String id) {
    assertThat(id).as("an id of a one-node stream").matches("[0-9a-z]+-[0-9]+");
    return id.substring(0, id.indexOf('-'));
  }

  static long taskOf(SseStream.Event e) {
    return e.json().path("task_id").asLong(-1);
  }

  static boolean isOf(SseStream.Event e, long task, String type) {
    return e.type().equals(type) && taskOf(e) == task;
  }
}
