package io.errand.http;

import static io.errand.http.ApiEventsTest.connect;
import static io.errand.http.ApiEventsTest.isOf;
import static io.errand.http.ApiEventsTest.runOf;
import static io.errand.http.ApiEventsTest.seqOf;
import static io.errand.http.ApiEventsTest.taskOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event stream across a real restart of a one-node server (Errand and API server closed,
 * then started again on the same SQLite file): the new run numbers its events from 1 again, so
 * a client that comes back with the last run's {@code Last-Event-ID} is told to start over
 * ({@code event: reset}) rather than resumed after the new run's event of the same number.
 */
class ApiEventsRestartTest {
  @TempDir
  Path dir;

  @Test
  void aClientOfTheLastRunIsToldToStartOverThenGetsLiveEvents() {
    Path file = dir.resolve("errand.db");
    String lastId;
    long before;
    try (Fixture first = new Fixture(null, b -> b, SqliteStore.at(file));
        SseStream s = connect(first.http, "/api/events", null)) {
      before = first.submit("other", "{\"run\": 1}");
      s.until(e -> isOf(e, before, "SUCCEEDED"));
      lastId = s.lastEventId();
    }

    try (Fixture second = new Fixture(null, b -> b, SqliteStore.at(file));
        SseStream watcher = connect(second.http, "/api/events", null)) {
      assertThat(second.errand.get(before)).as("the task of the last run is kept").isPresent();
      // More events in the new run than the number the client saw last, before it is back:
      // a bare number would now name one of them, and the client would resume after it.
      List<Long> meanwhile = new ArrayList<>();
      for (long i = 0; i <= seqOf(lastId); i++) {
        meanwhile.add(second.submit("other", "{\"run\": 2}"));
      }
      long lastMeanwhile = meanwhile.getLast();
      watcher.until(e -> isOf(e, lastMeanwhile, "SUCCEEDED"));
      assertThat(seqOf(watcher.lastEventId())).isGreaterThan(seqOf(lastId));
      assertThat(runOf(watcher.lastEventId())).isNotEqualTo(runOf(lastId));

      try (SseStream back = connect(second.http, "/api/events", lastId)) {
        SseStream.Event reset = back.next();
        assertThat(reset.type()).isEqualTo("reset");
        assertThat(reset.json().get("message").asText())
            .contains("'" + lastId + "' is not of this run of the server", "re-read");
        assertThat(runOf(reset.id())).isEqualTo(runOf(watcher.lastEventId()));

        long live = second.submit("other", "{\"run\": 2, \"live\": true}");
        List<SseStream.Event> rest = back.until(e -> isOf(e, live, "SUCCEEDED"));
        assertThat(rest).noneMatch(e -> e.type().equals("reset") || e.type().equals("gap"));
        assertThat(rest).as("live from the reset: what came before it is to be re-read")
            .noneMatch(e -> meanwhile.contains(taskOf(e)));
        assertThat(rest.stream().filter(e -> taskOf(e) == live).map(SseStream.Event::type))
            .containsExactly("ADDED", "STARTED", "SUCCEEDED");
        assertThat(rest).allSatisfy(e -> assertThat(runOf(e.id())).isEqualTo(runOf(reset.id())));
      }

      // An id of this run still resumes, with no reset.
      String now = watcher.lastEventId();
      long after = second.submit("other", "{\"run\": 2, \"after\": true}");
      try (SseStream resumed = connect(second.http, "/api/events", now)) {
        List<SseStream.Event> events = resumed.until(e -> isOf(e, after, "SUCCEEDED"));
        assertThat(events).noneMatch(e -> e.type().equals("reset") || e.type().equals("gap"));
        assertThat(events.stream().filter(e -> taskOf(e) == after).map(SseStream.Event::type))
            .containsExactly("ADDED", "STARTED", "SUCCEEDED");
      }
    }
  }
}
