package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.ManualClock;
import io.errand.api.OverlapPolicy;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleInfo;
import io.errand.api.ScheduleSpec;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Overlap policies end to end: the first occurrence's task blocks on a gate (a real worker
 * thread), the next occurrences come due while it is live.
 */
class ScheduleOverlapTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  private final Gate gate = new Gate();
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Boolean> blocking = new ConcurrentHashMap<>();

  private Errand errand(ManualClock clock) {
    return Errand.builder().clock(clock)
        .listener("recorder", events::add)
        .queue(QueueSpec.builder("jobs", String.class, ctx -> {
          started.add(ctx.args());
          if (blocking.containsKey(ctx.args())) {
            gate.pass();
          }
          return null;
        }).workers(4).build())
        .build();
  }

  private static void create(Errand errand, OverlapPolicy overlap) {
    errand.schedules().create(Schedule.builder("s", "jobs", ScheduleSpec.every(Duration.ofHours(1)))
        .argsFrom(Instant::toString).overlap(overlap).build());
  }

  /** Moves the clock an hour and waits until the schedule decided the occurrence. */
  private static ScheduleInfo nextHour(Errand errand, ManualClock clock) {
    clock.advance(Duration.ofHours(1));
    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
        .until(() -> errand.schedules().get("s").orElseThrow().nextDue().isAfter(clock.instant()));
    return errand.schedules().get("s").orElseThrow();
  }

  private static String hour(int h) {
    return T0.plus(Duration.ofHours(h)).toString();
  }

  private void firstRunBlocks(Errand errand, ManualClock clock) {
    blocking.put(hour(1), true);
    nextHour(errand, clock);
    await().until(() -> started.contains(hour(1)));
  }

  private List<TaskInfo> tasks(Errand errand) {
    return errand.list(TaskQuery.newest(100)).items();
  }

  @Test
  void skipDoesNotStartWhileTheEarlierRunIsLive() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = errand(clock)) {
      create(errand, OverlapPolicy.SKIP);
      firstRunBlocks(errand, clock);
      nextHour(errand, clock);
      assertThat(tasks(errand)).hasSize(1);
      await().until(() -> events.stream().anyMatch(e -> e.type() == EventType.SCHEDULE_SKIPPED));
      assertThat(events).filteredOn(e -> e.type() == EventType.SCHEDULE_SKIPPED)
          .extracting(TaskEvent::message).singleElement().asString()
          .contains("occurrence " + hour(2) + " skipped").contains("still RUNNING (overlap skip)");
      gate.open();
      Await.finished(errand, errand.schedules().get("s").orElseThrow().lastRun().taskId());
      nextHour(errand, clock);
      await().until(() -> started.size() == 2);
      assertThat(started).containsExactly(hour(1), hour(3));
    }
  }

  @Test
  void queueOneHoldsOneOccurrenceAndStartsItWhenTheLiveRunEnds() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = errand(clock)) {
      create(errand, OverlapPolicy.QUEUE_ONE);
      firstRunBlocks(errand, clock);
      assertThat(nextHour(errand, clock).held()).isEqualTo(Instant.parse(hour(2)));
      assertThat(nextHour(errand, clock).held()).isEqualTo(Instant.parse(hour(2))); // 03:00 skipped
      assertThat(tasks(errand)).hasSize(1);
      gate.open();
      await().until(() -> started.size() == 2);
      assertThat(started).containsExactly(hour(1), hour(2));
      await().until(() -> errand.schedules().get("s").orElseThrow().held() == null);
      assertThat(events).filteredOn(e -> e.type() == EventType.SCHEDULE_SKIPPED)
          .extracting(TaskEvent::message).singleElement().asString().contains(hour(3));
    }
  }

  @Test
  void allowStartsBesideTheLiveRun() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = errand(clock)) {
      create(errand, OverlapPolicy.ALLOW);
      firstRunBlocks(errand, clock);
      nextHour(errand, clock);
      await().until(() -> started.size() == 2);
      assertThat(started).containsExactly(hour(1), hour(2));
      gate.open();
    }
  }

  @Test
  void cancelPreviousCancelsTheLiveRunThenStartsTheNewOne() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = errand(clock)) {
      create(errand, OverlapPolicy.CANCEL_PREVIOUS);
      firstRunBlocks(errand, clock);
      long first = errand.schedules().get("s").orElseThrow().lastRun().taskId();
      nextHour(errand, clock);
      TaskInfo cancelled = Await.finished(errand, first);
      assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(cancelled.cancelReason()).contains("replaced by schedule 's' occurrence " + hour(2));
      await().until(() -> started.size() == 2);
      assertThat(started).containsExactly(hour(1), hour(2));
      assertThat(tasks(errand)).hasSize(2);
    }
  }
}
