package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.ErrandException;
import io.errand.api.EventType;
import io.errand.api.InvalidSpecException;
import io.errand.api.ManualClock;
import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleInfo;
import io.errand.api.ScheduleSpec;
import io.errand.api.ScheduleState;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.api.UnknownQueueException;
import io.errand.api.UnknownScheduleException;
import io.errand.memory.MemorySchedules;
import io.errand.memory.MemoryStore;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Schedules end to end on the memory store, driven by a manual clock: each occurrence yields one
 * task, missed occurrences follow the policy, and the operations do what they say. No sleeps:
 * after moving the clock, a test waits until the schedule has decided everything due.
 */
class SchedulesTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  /** Every task the queue ran: its args are the occurrence it stands for. */
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

  private Errand errand(ManualClock clock) {
    return Errand.builder().clock(clock)
        .listener("recorder", events::add)
        .queue(QueueSpec.builder("jobs", String.class, ctx -> {
          ran.add(ctx.args());
          return null;
        }).workers(4).build())
        .build();
  }

  /**
   * A schedule whose task args are its occurrence. Overlap ALLOW: these tests are about which
   * occurrences fire, and a task still running when the next is decided must not change that
   * (ScheduleOverlapTest covers overlaps).
   */
  private static Schedule.Builder schedule(String name, ScheduleSpec spec) {
    return Schedule.builder(name, "jobs", spec).argsFrom(Instant::toString)
        .overlap(OverlapPolicy.ALLOW);
  }

  /** Moves the clock, then waits until the schedule waits for an occurrence after it. */
  private static void advance(Errand errand, ManualClock clock, Duration by, String name) {
    clock.advance(by);
    await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
        .until(() -> {
      ScheduleInfo s = errand.schedules().get(name).orElseThrow();
      return s.nextDue() == null || s.nextDue().isAfter(clock.instant());
    });
  }

  @Test
  void eachOccurrenceFiresOneTaskThroughBothBerlinTransitions() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-27T12:00:00Z"));
    try (Errand errand = errand(clock)) {
      errand.schedules().create(schedule("night", ScheduleSpec.cron("30 2 * * *", "Europe/Berlin")).build());
      for (int hour = 0; hour < 24 * 4; hour++) {
        advance(errand, clock, Duration.ofHours(1), "night");
      }
      await().until(() -> ran.size() == 4);
      assertThat(ran).containsExactly(
          "2026-03-28T01:30:00Z", // 02:30 CET
          "2026-03-29T01:00:00Z", // 02:30 does not exist: the gap's end, 03:00 CEST
          "2026-03-30T00:30:00Z", // 02:30 CEST
          "2026-03-31T00:30:00Z");
      assertThat(events).filteredOn(e -> e.type() == EventType.SCHEDULE_SKIPPED).isEmpty();

      // Autumn: 02:30 happens twice on 25 October; it runs once.
      // Delete it before the clock jumps months (else run_once would fire the newest missed one),
      // and create it again after.
      errand.schedules().delete("night");
      await().until(() -> ran.size() == 4);
      ran.clear();
      clock.advance(Duration.between(clock.instant(), Instant.parse("2026-10-24T12:00:00Z")));
      errand.schedules().create(schedule("night", ScheduleSpec.cron("30 2 * * *", "Europe/Berlin")).build());
      for (int step = 0; step < 4 * 48; step++) {
        advance(errand, clock, Duration.ofMinutes(30), "night");
      }
      await().until(() -> ran.size() == 4);
      assertThat(ran).containsExactly(
          "2026-10-25T00:30:00Z", // 02:30 CEST, first pass only
          "2026-10-26T01:30:00Z", // 02:30 CET
          "2026-10-27T01:30:00Z",
          "2026-10-28T01:30:00Z");
    }
  }

  @Test
  void everyThirtyMinutesThroughNewYorksRepeatedHourFiresEveryRealHalfHour() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T04:10:00Z")); // 00:10 EDT
    try (Errand errand = errand(clock)) {
      errand.schedules().create(schedule("half", ScheduleSpec.cron("*/30 * * * *", "America/New_York")).build());
      for (int step = 0; step < 8; step++) {
        advance(errand, clock, Duration.ofMinutes(30), "half");
      }
      await().until(() -> ran.size() == 8);
      assertThat(ran).containsExactly(
          "2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", // to 01:30 EDT
          "2026-11-01T06:00:00Z", "2026-11-01T06:30:00Z", // 01:00 and 01:30 EST
          "2026-11-01T07:00:00Z", "2026-11-01T07:30:00Z", "2026-11-01T08:00:00Z");
    }
  }

  @Test
  void missedOccurrencesFollowThePolicyAndTheSkipsAreRecorded() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = errand(clock)) {
      ScheduleSpec hourly = ScheduleSpec.cron("0 * * * *");
      errand.schedules().create(schedule("skip", hourly).missed(MissedRunPolicy.skip()).build());
      errand.schedules().create(schedule("once", hourly).missed(MissedRunPolicy.runOnce()).build());
      errand.schedules().create(
          schedule("catch", hourly).missed(MissedRunPolicy.catchUp(Duration.ofMinutes(150))).build());
      // Nothing could fire for 5 h 20 min: 01:00 to 05:00 were missed.
      clock.advance(Duration.ofMinutes(320));
      for (String name : List.of("skip", "once", "catch")) {
        await().until(() -> errand.schedules().get(name).orElseThrow().nextDue()
            .equals(Instant.parse("2026-06-01T06:00:00Z")));
      }
      await().until(() -> ran.size() == 4);
      assertThat(keys(errand, "skip")).isEmpty();
      assertThat(keys(errand, "once")).containsExactly("schedule:once@2026-06-01T05:00:00Z");
      // 02:50 is the window's start: 03:00, 04:00 and 05:00 run, oldest first.
      assertThat(keys(errand, "catch")).containsExactly(
          "schedule:catch@2026-06-01T03:00:00Z", "schedule:catch@2026-06-01T04:00:00Z",
          "schedule:catch@2026-06-01T05:00:00Z");
      await().until(() -> skipped("catch").size() == 1 && skipped("once").size() == 1
          && skipped("skip").size() == 1);
      assertThat(skipped("skip").get(0).message()).isEqualTo(
          "schedule 'skip': 5 missed occurrences 2026-06-01T01:00:00Z to 2026-06-01T05:00:00Z"
              + " skipped (skip)");
      assertThat(skipped("once").get(0).message()).contains("4 missed occurrences");
      assertThat(skipped("catch").get(0).message()).contains("2 missed occurrences");
      await().until(() -> events.stream().filter(e -> e.type() == EventType.SCHEDULE_FIRED).count() == 4);
    }
  }

  private List<String> keys(Errand errand, String schedule) {
    return errand.list(TaskQuery.newest(1000)).items().stream()
        .map(TaskInfo::key).filter(k -> k.startsWith("schedule:" + schedule + "@")).sorted().toList();
  }

  private List<TaskEvent> skipped(String schedule) {
    return events.stream().filter(e -> e.type() == EventType.SCHEDULE_SKIPPED && schedule.equals(e.key())).toList();
  }

  @Test
  void pausedOccurrencesAreMissedAndHandledOnResume() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = errand(clock)) {
      errand.schedules().create(schedule("p", ScheduleSpec.every(Duration.ofMinutes(10))).build());
      errand.schedules().pause("p");
      assertThat(errand.schedules().get("p").orElseThrow().state()).isEqualTo(ScheduleState.PAUSED);
      clock.advance(Duration.ofMinutes(35));
      errand.schedules().resume("p");
      await().until(() -> errand.schedules().get("p").orElseThrow().nextDue()
          .equals(T0.plus(Duration.ofMinutes(40))));
      await().until(() -> ran.size() == 1);
      assertThat(ran).containsExactly("2026-06-01T00:30:00Z"); // run once: the newest missed
      ScheduleInfo info = errand.schedules().get("p").orElseThrow();
      assertThat(info.last()).hasValueSatisfying(r -> {
        assertThat(r.occurrence()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(r.firedAt()).isEqualTo(T0.plus(Duration.ofMinutes(35)));
      });
      await().until(() -> errand.schedules().get("p").orElseThrow().lastRun().status() == TaskStatus.SUCCESS);
    }
  }

  @Test
  void operationsCreateUpdateRunNowNextAndDelete() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = errand(clock)) {
      ScheduleInfo created = errand.schedules().create(
          Schedule.builder("daily", "jobs", ScheduleSpec.parse("@daily")).args("fixed").build());
      assertThat(created.nextDue()).isEqualTo(Instant.parse("2026-06-02T00:00:00Z"));
      assertThat(created.state()).isEqualTo(ScheduleState.ACTIVE);
      assertThat(errand.schedules().next("daily", 2))
          .containsExactly(Instant.parse("2026-06-02T00:00:00Z"), Instant.parse("2026-06-03T00:00:00Z"));
      assertThatThrownBy(() -> errand.schedules().create(
          Schedule.builder("daily", "jobs", ScheduleSpec.parse("@hourly")).build()))
          .isInstanceOf(InvalidSpecException.class).hasMessageContaining("'daily' exists");

      ScheduleInfo updated = errand.schedules().update(
          created.schedule().toBuilder().spec(ScheduleSpec.parse("0 6 * * *")).build());
      assertThat(updated.nextDue()).isEqualTo(Instant.parse("2026-06-01T06:00:00Z"));
      ScheduleInfo argsOnly = errand.schedules().update(updated.schedule().toBuilder().args("other").build());
      assertThat(argsOnly.nextDue()).isEqualTo(updated.nextDue());

      long id = errand.schedules().runNow("daily");
      assertThat(Await.finished(errand, id).status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(ran).containsExactly("other");
      assertThat(errand.schedules().get("daily").orElseThrow().lastRun())
          .satisfies(r -> assertThat(r.taskId()).isEqualTo(id))
          .satisfies(r -> assertThat(r.status()).isEqualTo(TaskStatus.SUCCESS));
      assertThat(errand.schedules().get("daily").orElseThrow().nextDue()).isEqualTo(updated.nextDue());

      assertThat(errand.schedules().list()).extracting(ScheduleInfo::name).containsExactly("daily");
      assertThat(errand.schedules().delete("daily")).isTrue();
      assertThat(errand.schedules().delete("daily")).isFalse();
      assertThat(errand.schedules().get("daily")).isEmpty();
      assertThatThrownBy(() -> errand.schedules().pause("daily")).isInstanceOf(UnknownScheduleException.class)
          .hasMessageStartingWith("no schedule named 'daily'");
      assertThatThrownBy(() -> errand.schedules().runNow("daily")).isInstanceOf(UnknownScheduleException.class);
      assertThatThrownBy(() -> errand.schedules().next("daily", 1)).isInstanceOf(UnknownScheduleException.class);
    }
  }

  @Test
  void aScheduleMustNameAQueueAndFitItsArgs() {
    try (Errand errand = errand(new ManualClock(T0))) {
      assertThatThrownBy(() -> errand.schedules().create(
          Schedule.builder("s", "nowhere", ScheduleSpec.parse("@daily")).build()))
          .isInstanceOf(UnknownQueueException.class);
      assertThatThrownBy(() -> errand.schedules().create(
          Schedule.builder("s", "jobs", ScheduleSpec.parse("@daily")).args(42).build()))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessage("schedule 's' args are a java.lang.Integer, but queue 'jobs' takes java.lang.String");
      assertThat(errand.schedules().list()).isEmpty();
    }
  }

  @Test
  void jitterDelaysEachTaskByTheSameAmountOnEveryComputation() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = errand(clock)) {
      errand.schedules().create(schedule("j", ScheduleSpec.parse("@hourly")).jitter(Duration.ofMinutes(10)).build());
      advance(errand, clock, Duration.ofHours(1), "j");
      long id = errand.schedules().get("j").orElseThrow().lastRun().taskId();
      TaskInfo task = errand.get(id).orElseThrow();
      assertThat(task.runAt()).isBetween(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofMinutes(70)));
      assertThat(task.key()).isEqualTo("schedule:j@2026-06-01T01:00:00Z");
      clock.advance(Duration.ofMinutes(10));
      assertThat(Await.finished(errand, id).status()).isEqualTo(TaskStatus.SUCCESS);
    }
  }

  @Test
  void aStoreThatKeepsNoSchedulesSaysSoAndTheMemoryStoreHasTheRole() {
    MemoryStore memory = new MemoryStore();
    TaskStore hooked = HookedStore.of(memory, (method, result) -> { });
    TaskStore plain = (TaskStore) java.lang.reflect.Proxy.newProxyInstance(
        TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class},
        (proxy, method, args) -> method.getName().equals("schedules") ? Optional.empty()
            : method.invoke(hooked, args));
    try (Errand errand = Errand.builder().store(plain).queue(
        QueueSpec.builder("jobs", String.class, ctx -> null).build()).build()) {
      assertThatThrownBy(errand::schedules)
          .isInstanceOf(ErrandException.class)
          .hasMessageContaining("keeps no schedules")
          .satisfies(e -> assertThat(((ErrandException) e).code()).isEqualTo("schedules_unsupported"));
    }
    MemoryStore other = new MemoryStore();
    assertThat(other.schedules()).containsInstanceOf(MemorySchedules.class);
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = Errand.builder().store(other).clock(clock)
        .queue(QueueSpec.builder("jobs", String.class, ctx -> null).build()).build()) {
      errand.schedules().create(schedule("s", ScheduleSpec.parse("@hourly")).build());
      advance(errand, clock, Duration.ofHours(1), "s");
      long id = errand.schedules().get("s").orElseThrow().lastRun().taskId();
      assertThat(other.schedules().orElseThrow().find("s").orElseThrow().lastRun().taskId())
          .isEqualTo(id);
      assertThat(Await.finished(errand, id).status()).isEqualTo(TaskStatus.SUCCESS);
    }
  }
}
