package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.postgres.PostgresStore;
import io.errand.postgres.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two API servers on one PostgreSQL schema: each streams every task's events with the same
 * ids, a client resumes on the other server with its {@code Last-Event-ID}, and the queues'
 * counts and {@code /api/nodes} see both nodes.
 */
class ClusterApiTest {
  private final TestDatabase db = TestDatabase.get();
  private final List<Fixture> fixtures = new ArrayList<>();
  private String schema;

  @BeforeEach
  void schema() {
    schema = db.freshSchema();
  }

  @AfterEach
  void stop() {
    fixtures.forEach(Fixture::close);
    db.drop(schema);
  }

  private Fixture node() {
    Fixture f = new Fixture(null, b -> b, PostgresStore.builder(db.url()).schema(schema)
        .poolSize(4).build());
    fixtures.add(f);
    return f;
  }

  private static List<SseStream.Event> tasksEvents(SseStream s, int succeeded) {
    List<SseStream.Event> seen = new ArrayList<>();
    int n = 0;
    while (n < succeeded) {
      SseStream.Event e = s.next();
      assertThat(e.type()).as("no gap in %s", seen).isNotEqualTo("gap");
      seen.add(e);
      if (e.type().equals("SUCCEEDED")) {
        n++;
      }
    }
    return seen;
  }

  @Test
  void eachServerStreamsEveryTasksEventsWithTheSameIds() {
    Fixture a = node();
    Fixture b = node();
    try (SseStream onA = SseStream.open(a.http, "/api/events?queue=other", null);
        SseStream onB = SseStream.open(b.http, "/api/events?queue=other", null)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> onA.connected() && onB.connected());
      for (int i = 0; i < 6; i++) {
        (i % 2 == 0 ? a : b).submit("other", "{\"n\": " + i + "}");
      }

      List<SseStream.Event> fromA = tasksEvents(onA, 6);
      List<SseStream.Event> fromB = tasksEvents(onB, 6);

      assertThat(fromB).extracting(SseStream.Event::id).isEqualTo(
          fromA.stream().map(SseStream.Event::id).toList());
      assertThat(fromB).extracting(SseStream.Event::type).isEqualTo(
          fromA.stream().map(SseStream.Event::type).toList());
      assertThat(fromA).extracting(SseStream.Event::type).filteredOn("ADDED"::equals).hasSize(6);
      assertThat(fromA).allSatisfy(e ->
          assertThat(e.json().get("seq").asText()).isEqualTo(e.id()));
    }
  }

  @Test
  void aClientResumesOnAServerStartedAfterTheEventsWithItsLastEventId() {
    Fixture a = node();
    List<SseStream.Event> fromA;
    try (SseStream onA = SseStream.open(a.http, "/api/events?queue=other", null)) {
      await().atMost(Duration.ofSeconds(20)).until(onA::connected);
      for (int i = 0; i < 4; i++) {
        a.submit("other", "{\"n\": " + i + "}");
      }
      fromA = tasksEvents(onA, 4);
    }
    SseStream.Event resumeAfter = fromA.get(2);
    List<SseStream.Event> expected = fromA.subList(3, fromA.size());

    Fixture b = node(); // its buffer never held these events: they come from the event log
    try (SseStream onB = SseStream.open(b.http, "/api/events?queue=other", resumeAfter.id())) {
      List<SseStream.Event> resumed = new ArrayList<>();
      while (resumed.size() < expected.size()) {
        resumed.add(onB.next());
      }
      assertThat(resumed).extracting(SseStream.Event::id)
          .isEqualTo(expected.stream().map(SseStream.Event::id).toList());
      assertThat(resumed).extracting(SseStream.Event::data)
          .isEqualTo(expected.stream().map(SseStream.Event::data).toList());

      long live = b.submit("other", "{\"n\": 99}");
      SseStream.Event next = onB.next();
      assertThat(next.type()).isEqualTo("ADDED");
      assertThat(next.json().get("task_id").asLong()).isEqualTo(live);
      assertThat(Long.parseLong(next.id())).isGreaterThan(Long.parseLong(expected.getLast().id()));
    }
  }

  @Test
  void queueCountsAndTheNodesViewAreClusterWide() {
    Fixture a = node();
    Fixture b = node();
    for (int i = 0; i < 8; i++) {
      a.submit("work", "{\"gate\": \"g\"}");
    }
    try {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        for (Fixture f : List.of(a, b)) {
          JsonNode counts = f.http.get("/api/queues/work").json().get("counts");
          assertThat(counts.get("running").asLong()).isEqualTo(8);
          assertThat(counts.get("running_here").asLong()).isEqualTo(4); // 4 workers each
        }
      });
      JsonNode nodes = b.http.get("/api/nodes").json();
      assertThat(nodes.get("clustered").asBoolean()).isTrue();
      List<JsonNode> list = StreamSupport.stream(nodes.get("nodes").spliterator(), false)
          .toList();
      assertThat(list).hasSize(2).allSatisfy(n -> {
        assertThat(n.get("running").asLong()).isEqualTo(4);
        assertThat(n.get("alive").asBoolean()).isTrue();
        assertThat(n.get("lease").asText()).isEqualTo("PT30S");
      });
      assertThat(list).filteredOn(n -> n.get("self").asBoolean()).hasSize(1);
      assertThat(Set.copyOf(list.stream().map(n -> n.get("id").asLong()).toList())).hasSize(2);
    } finally {
      a.open("g");
      b.open("g");
    }
  }
}
