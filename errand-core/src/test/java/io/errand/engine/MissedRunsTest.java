package io.errand.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.MissedRunPolicy;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which due occurrences fire and which are skipped, under each missed-run policy. */
class MissedRunsTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  private static Schedule hourly(MissedRunPolicy missed) {
    return Schedule.builder("report", "reports", ScheduleSpec.cron("0 * * * *")).missed(missed).build();
  }

  private static Instant at(String hhmm) {
    return Instant.parse("2026-06-01T" + hhmm + ":00Z");
  }

  private static List<Instant> at(String... hhmm) {
    return Arrays.stream(hhmm).map(MissedRunsTest::at).toList();
  }

  @Test
  void nothingIsDueBeforeTheNextOccurrence() {
    FiringPlan plan = MissedRuns.plan(hourly(MissedRunPolicy.skip()), at("01:00"), at("00:59"));
    assertThat(plan).isEqualTo(new FiringPlan(List.of(), Optional.empty(), at("01:00")));
  }

  @Test
  void anOccurrenceNoticedWithinAMinuteIsOnTimeUnderEveryPolicy() {
    for (MissedRunPolicy p : List.of(MissedRunPolicy.skip(), MissedRunPolicy.runOnce(), MissedRunPolicy.catchUp(Duration.ofHours(1)))) {
      FiringPlan plan = MissedRuns.plan(hourly(p), at("01:00"), at("01:00").plusSeconds(59));
      assertThat(plan.fire()).as(p.text()).containsExactly(at("01:00"));
      assertThat(plan.skipped()).as(p.text()).isEmpty();
      assertThat(plan.nextDue()).isEqualTo(at("02:00"));
    }
  }

  @Test
  void skipFiresNothingMissedAndRecordsTheSkippedRange() {
    // Down from 00:30 to 04:20: 01:00, 02:00, 03:00, 04:00 were missed.
    FiringPlan plan = MissedRuns.plan(hourly(MissedRunPolicy.skip()), at("01:00"), at("04:20"));
    assertThat(plan.fire()).isEmpty();
    assertThat(plan.skipped()).contains(new FiringPlan.Skipped(at("01:00"), at("04:00"), 4));
    assertThat(plan.nextDue()).isEqualTo(at("05:00"));
  }

  @Test
  void skipStillFiresTheNewestWhenItIsOnTime() {
    FiringPlan plan = MissedRuns.plan(hourly(MissedRunPolicy.skip()), at("01:00"), at("04:00").plusSeconds(30));
    assertThat(plan.fire()).containsExactly(at("04:00"));
    assertThat(plan.skipped()).contains(new FiringPlan.Skipped(at("01:00"), at("03:00"), 3));
  }

  @Test
  void runOnceFiresTheNewestMissedAndSkipsTheRest() {
    FiringPlan plan = MissedRuns.plan(hourly(MissedRunPolicy.runOnce()), at("01:00"), at("04:20"));
    assertThat(plan.fire()).containsExactly(at("04:00"));
    assertThat(plan.skipped()).contains(new FiringPlan.Skipped(at("01:00"), at("03:00"), 3));
    assertThat(plan.nextDue()).isEqualTo(at("05:00"));
  }

  @Test
  void runOnceWithASingleMissedOccurrenceFiresIt() {
    FiringPlan plan = MissedRuns.plan(hourly(MissedRunPolicy.runOnce()), at("01:00"), at("01:30"));
    assertThat(plan.fire()).containsExactly(at("01:00"));
    assertThat(plan.skipped()).isEmpty();
  }

  @Test
  void catchUpFiresEachMissedOccurrenceWithinTheWindowOldestFirst() {
    FiringPlan plan =
        MissedRuns.plan(hourly(MissedRunPolicy.catchUp(Duration.ofHours(2))), at("01:00"), at("04:20"));
    // 02:20 is the window's start: 03:00 and 04:00 run, 01:00 and 02:00 are skipped.
    assertThat(plan.fire()).isEqualTo(at("03:00", "04:00"));
    assertThat(plan.skipped()).contains(new FiringPlan.Skipped(at("01:00"), at("02:00"), 2));
    assertThat(plan.nextDue()).isEqualTo(at("05:00"));
  }

  @Test
  void catchUpWithAWideWindowFiresEverything() {
    FiringPlan plan =
        MissedRuns.plan(hourly(MissedRunPolicy.catchUp(Duration.ofDays(1))), at("01:00"), at("04:00").plusSeconds(10));
    assertThat(plan.fire()).isEqualTo(at("01:00", "02:00", "03:00", "04:00"));
    assertThat(plan.skipped()).isEmpty();
  }

  @Test
  void aLongBacklogIsDecidedInBoundedStepsThatAddUpExactly() {
    // Every second, down for 6 hours: 21,600 missed occurrences, decided 10,000 at a time.
    Schedule everySecond =
        Schedule.builder("tick", "ticks", ScheduleSpec.every(Duration.ofSeconds(1)))
            .missed(MissedRunPolicy.runOnce())
            .build();
    Instant now = T0.plus(Duration.ofHours(6)).plusMillis(500).plus(MissedRunPolicy.ON_TIME);
    Instant nextDue = T0.plusSeconds(1);
    long skipped = 0;
    List<Instant> fired = new java.util.ArrayList<>();
    int plans = 0;
    while (!nextDue.isAfter(now)) {
      FiringPlan plan = MissedRuns.plan(everySecond, nextDue, now);
      assertThat(plan.skipped()).hasValueSatisfying(s -> assertThat(s.count()).isLessThanOrEqualTo(MissedRuns.MOST_PER_PLAN));
      skipped += plan.skipped().map(FiringPlan.Skipped::count).orElse(0L);
      fired.addAll(plan.fire());
      nextDue = plan.nextDue();
      plans++;
    }
    long due = Duration.between(T0, now).toSeconds();
    assertThat(plans).isEqualTo(3);
    assertThat(fired).containsExactly(T0.plusSeconds(due)); // run once: the newest
    assertThat(skipped).isEqualTo(due - 1);
    assertThat(nextDue).isEqualTo(T0.plusSeconds(due + 1));
  }

  @Test
  void theStartAndEndWindowBoundsWhatIsDue() {
    Schedule bounded =
        Schedule.builder("report", "reports", ScheduleSpec.cron("0 * * * *"))
            .missed(MissedRunPolicy.catchUp(Duration.ofDays(1)))
            .end(at("02:30"))
            .build();
    FiringPlan plan = MissedRuns.plan(bounded, at("01:00"), at("05:00"));
    assertThat(plan.fire()).isEqualTo(at("01:00", "02:00"));
    assertThat(plan.nextDue()).isNull();
  }
}
