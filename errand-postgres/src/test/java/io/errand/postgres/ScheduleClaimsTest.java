package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.spi.ScheduleStep;
import io.errand.spi.StoreContext;
import io.errand.spi.StoredSchedule;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.RecordingSignals;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one schema split the due schedules ({@link ScheduleClaims}): what one node's
 * {@code due} returned, the other's leaves out until the first moves it on or its claim runs
 * out; and a claimed schedule is still decided exactly once by whichever node advances it.
 */
class ScheduleClaimsTest {
  private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");

  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private PostgresStore storeA;
  private PostgresStore storeB;
  private PostgresSchedules a;
  private PostgresSchedules b;

  @BeforeEach
  void open() {
    schema = db.freshSchema();
    storeA = store("node-a");
    storeB = store("node-b");
    a = new PostgresSchedules(storeA);
    b = new PostgresSchedules(storeB);
  }

  @AfterEach
  void close() {
    storeA.close();
    storeB.close();
    db.drop(schema);
  }

  private PostgresStore store(String node) {
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(2).build();
    store.open(new StoreContext(InstantSource.system(), new RecordingSignals(),
        new JsonTestCodec(Map.of()), node));
    return store;
  }

  private static Schedule minutely(String name) {
    return Schedule.builder(name, "q", ScheduleSpec.parse("* * * * *")).args("x").build();
  }

  private static Set<String> names(List<StoredSchedule> schedules) {
    Set<String> out = new HashSet<>();
    schedules.forEach(s -> out.add(s.name()));
    return out;
  }

  @Test
  void twoNodesSplitTheDueSchedulesAndAMovedOneIsFreeAgain() {
    for (int i = 0; i < 10; i++) {
      a.create(minutely("s" + i), T);
    }
    List<StoredSchedule> firstBatch = a.due(T, 4);
    assertThat(firstBatch).hasSize(4);
    List<StoredSchedule> rest = b.due(T, 10);
    assertThat(rest).hasSize(6);
    assertThat(names(rest)).doesNotContainAnyElementsOf(names(firstBatch));
    assertThat(a.due(T, 10)).as("a's own claims come back to a; b's stay b's")
        .extracting(StoredSchedule::name).containsExactlyInAnyOrderElementsOf(names(firstBatch));

    // a moves one on: its next occurrence is no one's claim
    String moved = firstBatch.get(0).name();
    Instant next = T.plusSeconds(60);
    assertThat(a.advance(moved, T, new ScheduleStep.Skip(next))).isPresent();
    assertThat(names(b.due(next, 20))).contains(moved);
    // b's claim does not stop a from deciding (only spares work): the compare-and-set decides
    String claimedByB = rest.get(0).name();
    assertThat(a.advance(claimedByB, T, new ScheduleStep.Skip(next))).isPresent();
    assertThat(b.advance(claimedByB, T, new ScheduleStep.Skip(next))).isEmpty();
  }

  @Test
  void aClaimThatRunsOutLetsTheOtherNodeDecide() {
    a.create(minutely("lonely"), T);
    assertThat(a.due(T, 10)).hasSize(1); // a claims it, then (as if it died) never moves it
    assertThat(b.due(T, 10)).isEmpty();
    await().atMost(ScheduleClaims.CLAIM.plusSeconds(20))
        .until(() -> !b.due(T, 10).isEmpty());
    assertThat(b.advance("lonely", T, new ScheduleStep.Skip(T.plusSeconds(60)))).isPresent();
  }
}
