package io.errand.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules in a SQLite file across a restart: definitions, the paused state and the last run
 * survive closing and reopening the file, and the occurrences missed while it was closed follow
 * each schedule's missed-run policy once it is open again. A manual clock, no sleeps.
 */
class SchedulesRestartTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir
  Path dir;

  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

  private Errand errand(ManualClock clock) {
    return Errand.builder().store(SqliteStore.at(dir.resolve("errand.db"))).clock(clock)
        .listener("recorder", events::add)
        .queue(QueueSpec.builder("jobs", String.class, ctx -> ctx.args()).workers(2).build())
        .build();
  }

  private static Schedule hourly(String name, MissedRunPolicy missed) {
    return Schedule.builder(name, "jobs", ScheduleSpec.cron("0 * * * *")).args("from " + name)
        .missed(missed).overlap(OverlapPolicy.ALLOW).jitter(Duration.ZERO).build();
  }

  private static void awaitDecided(Errand errand, String name, Instant nextDue) {
    await().atMost(Duration.ofSeconds(30)).until(
        () -> nextDue.equals(errand.schedules().get(name).orElseThrow().nextDue()));
  }

  @Test
  void schedulesPauseAndLastRunSurviveAndMissedRunsFollowThePolicyAfterTheReopen() {
    ManualClock clock = new ManualClock(T0);
    ScheduleInfo fired;
    try (Errand errand = errand(clock)) {
      errand.schedules().create(hourly("skip", MissedRunPolicy.skip()));
      errand.schedules().create(hourly("once", MissedRunPolicy.runOnce()));
      errand.schedules().create(hourly("catch", MissedRunPolicy.catchUp(Duration.ofMinutes(150))));
      errand.schedules().create(hourly("paused", MissedRunPolicy.runOnce()));
      errand.schedules().pause("paused");
      clock.advance(Duration.ofHours(1));
      for (String name : List.of("skip", "once", "catch")) {
        awaitDecided(errand, name, Instant.parse("2026-06-01T02:00:00Z"));
      }
      fired = errand.schedules().get("once").orElseThrow();
      assertThat(fired.lastRun()).isNotNull();
      assertThat(fired.lastRun().occurrence()).isEqualTo(Instant.parse("2026-06-01T01:00:00Z"));
      await().until(() -> errand.get(fired.lastRun().taskId()).map(TaskInfo::finishedAt)
          .isPresent());
    }

    // Closed from 01:00 to 06:20: 02:00 to 06:00 were missed.
    clock.advance(Duration.ofMinutes(320));
    try (Errand errand = errand(clock)) {
      ScheduleInfo once = errand.schedules().get("once").orElseThrow();
      ScheduleInfo paused = errand.schedules().get("paused").orElseThrow();
      assertThat(paused.state()).isEqualTo(ScheduleState.PAUSED);
      assertThat(paused.schedule().spec().text()).isEqualTo("0 * * * *");
      assertThat(once.schedule().missed()).isEqualTo(MissedRunPolicy.runOnce());
      for (String name : List.of("skip", "once", "catch")) {
        awaitDecided(errand, name, Instant.parse("2026-06-01T07:00:00Z"));
      }
      assertThat(keys(errand, "skip")).containsExactly("schedule:skip@2026-06-01T01:00:00Z");
      assertThat(keys(errand, "once")).containsExactly(
          "schedule:once@2026-06-01T01:00:00Z", "schedule:once@2026-06-01T06:00:00Z");
      assertThat(keys(errand, "catch")).containsExactly(
          "schedule:catch@2026-06-01T01:00:00Z", "schedule:catch@2026-06-01T04:00:00Z",
          "schedule:catch@2026-06-01T05:00:00Z", "schedule:catch@2026-06-01T06:00:00Z");
      assertThat(keys(errand, "paused")).isEmpty();
      assertThat(errand.schedules().get("once").orElseThrow().lastRun().occurrence())
          .isEqualTo(Instant.parse("2026-06-01T06:00:00Z"));
      await().until(() -> events.stream().anyMatch(e -> e.type() == EventType.SCHEDULE_SKIPPED
          && "skip".equals(e.key()) && e.message().contains("5 missed occurrences")));
      long lastTask = errand.schedules().get("once").orElseThrow().lastRun().taskId();
      TaskInfo task = errand.get(lastTask).orElseThrow();
      assertThat(task.args()).isEqualTo("from once");
    }
  }

  @Test
  void aScheduleWhoseArgsComeFromAFunctionIsRefusedByTheDurableStore() {
    try (Errand errand = errand(new ManualClock(T0))) {
      Schedule fromFunction = Schedule.builder("f", "jobs", ScheduleSpec.parse("@hourly"))
          .argsFrom(Instant::toString).build();
      assertThatThrownBy(() -> errand.schedules().create(fromFunction))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("schedule 'f' builds its args with a function")
          .hasMessageContaining("SqliteStore");
      assertThat(errand.schedules().list()).isEmpty();
    }
  }

  private static List<String> keys(Errand errand, String schedule) {
    return errand.list(TaskQuery.newest(1000)).items().stream().map(TaskInfo::key)
        .filter(k -> k != null && k.startsWith("schedule:" + schedule + "@")).sorted().toList();
  }
}
