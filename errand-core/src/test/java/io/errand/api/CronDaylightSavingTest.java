package io.errand.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cron occurrences across both daylight-saving transitions in Europe/Berlin, America/New_York
 * and two half-hour zones: a local time in a gap runs once at the gap's end, a local time in a
 * repeated hour runs once, and crons that match every hour keep their real-time rhythm.
 */
class CronDaylightSavingTest {

  private static List<Instant> next(String expression, String zone, String after, int n) {
    return ScheduleSpec.cron(expression, zone).next(Instant.parse(after), n);
  }

  private static List<Instant> instants(String... texts) {
    return java.util.Arrays.stream(texts).map(Instant::parse).toList();
  }

  @Test
  void berlinSpringForwardRunsAGapTimeOnceAtTheGapsEnd() {
    // 2026-03-29 02:00 CET jumps to 03:00 CEST (01:00Z): 02:30 does not exist that day.
    assertThat(next("30 2 * * *", "Europe/Berlin", "2026-03-27T12:00:00Z", 4))
        .isEqualTo(instants(
            "2026-03-28T01:30:00Z", // 02:30 CET
            "2026-03-29T01:00:00Z", // the gap's end, 03:00 CEST
            "2026-03-30T00:30:00Z", // 02:30 CEST
            "2026-03-31T00:30:00Z"));
  }

  @Test
  void berlinFallBackRunsARepeatedTimeOnceAtItsFirstPass() {
    // 2026-10-25 03:00 CEST goes back to 02:00 CET (01:00Z): 02:30 happens twice.
    assertThat(next("30 2 * * *", "Europe/Berlin", "2026-10-23T12:00:00Z", 3))
        .isEqualTo(instants(
            "2026-10-24T00:30:00Z", // 02:30 CEST
            "2026-10-25T00:30:00Z", // 02:30 CEST, the first pass only
            "2026-10-26T01:30:00Z")); // 02:30 CET
  }

  @Test
  void berlinEveryThirtyMinutesKeepsRealTimeThroughTheRepeatedHour() {
    assertThat(next("*/30 * * * *", "Europe/Berlin", "2026-10-24T23:45:00Z", 7))
        .isEqualTo(instants(
            "2026-10-25T00:00:00Z", // 02:00 CEST
            "2026-10-25T00:30:00Z", // 02:30 CEST
            "2026-10-25T01:00:00Z", // 02:00 CET
            "2026-10-25T01:30:00Z", // 02:30 CET
            "2026-10-25T02:00:00Z", // 03:00 CET
            "2026-10-25T02:30:00Z",
            "2026-10-25T03:00:00Z"));
  }

  @Test
  void berlinEveryThirtyMinutesThroughTheGapRunsTheMissingTimesOnceAtItsEnd() {
    // 02:00 and 02:30 do not exist; both map to 03:00 CEST, which is itself an occurrence: one run.
    assertThat(next("*/30 * * * *", "Europe/Berlin", "2026-03-29T00:15:00Z", 4))
        .isEqualTo(instants(
            "2026-03-29T00:30:00Z", // 01:30 CET
            "2026-03-29T01:00:00Z", // 03:00 CEST
            "2026-03-29T01:30:00Z", // 03:30 CEST
            "2026-03-29T02:00:00Z"));
  }

  @Test
  void newYorkSpringForward() {
    // 2026-03-08 02:00 EST jumps to 03:00 EDT (07:00Z).
    assertThat(next("15 2 * * *", "America/New_York", "2026-03-07T00:00:00Z", 3))
        .isEqualTo(instants(
            "2026-03-07T07:15:00Z", // 02:15 EST
            "2026-03-08T07:00:00Z", // 03:00 EDT, the gap's end
            "2026-03-09T06:15:00Z")); // 02:15 EDT
  }

  @Test
  void newYorkFallBackRepeatedHourRunsOnceWhenTheHourIsFixed() {
    // 2026-11-01 02:00 EDT goes back to 01:00 EST (06:00Z): 01:00-01:59 happens twice.
    assertThat(next("0,30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", 4))
        .isEqualTo(instants(
            "2026-11-01T05:00:00Z", // 01:00 EDT
            "2026-11-01T05:30:00Z", // 01:30 EDT; the EST passes do not run again
            "2026-11-02T06:00:00Z", // 01:00 EST
            "2026-11-02T06:30:00Z"));
  }

  @Test
  void newYorkHourlyRunsBothPassesOfTheRepeatedHour() {
    assertThat(next("@hourly", "America/New_York", "2026-11-01T04:30:00Z", 4))
        .isEqualTo(instants(
            "2026-11-01T05:00:00Z", // 01:00 EDT
            "2026-11-01T06:00:00Z", // 01:00 EST
            "2026-11-01T07:00:00Z", // 02:00 EST
            "2026-11-01T08:00:00Z"));
  }

  @Test
  void askingFromInsideTheRepeatedHourStillFindsTheSecondPass() {
    // From 01:20 EDT: the next is 01:30 EDT, then 01:00 EST (earlier local time, later instant).
    assertThat(next("0,30 * * * *", "America/New_York", "2026-11-01T05:20:00Z", 5))
        .isEqualTo(instants(
            "2026-11-01T05:30:00Z", // 01:30 EDT
            "2026-11-01T06:00:00Z", // 01:00 EST
            "2026-11-01T06:30:00Z", // 01:30 EST
            "2026-11-01T07:00:00Z", // 02:00 EST
            "2026-11-01T07:30:00Z"));
    // From 01:10 EST, only what is still ahead.
    assertThat(next("0,30 * * * *", "America/New_York", "2026-11-01T06:10:00Z", 2))
        .isEqualTo(instants("2026-11-01T06:30:00Z", "2026-11-01T07:00:00Z"));
  }

  @Test
  void dailyTimesKeepTheirWallClockHourAcrossTransitions() {
    assertThat(next("0 9 * * *", "America/New_York", "2026-03-07T12:00:00Z", 3))
        .isEqualTo(instants("2026-03-07T14:00:00Z", "2026-03-08T13:00:00Z", "2026-03-09T13:00:00Z"));
    assertThat(next("0 9 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", 2))
        .isEqualTo(instants("2026-10-25T08:00:00Z", "2026-10-26T08:00:00Z"));
  }

  @Test
  void lordHoweShiftsByHalfAnHour() {
    // Australia/Lord_Howe: +10:30 standard, +11:00 summer. 2026-10-04 02:00 jumps to 02:30
    // (2026-10-03T15:30Z); 2026-04-05 02:00 goes back to 01:30 (2026-04-04T15:00Z).
    assertThat(next("15 2 * * *", "Australia/Lord_Howe", "2026-10-02T12:00:00Z", 3))
        .isEqualTo(instants(
            "2026-10-02T15:45:00Z", // 02:15 +10:30
            "2026-10-03T15:30:00Z", // 02:30 +11:00, the gap's end
            "2026-10-04T15:15:00Z")); // 02:15 +11:00
    assertThat(next("45 1 * * *", "Australia/Lord_Howe", "2026-04-03T00:00:00Z", 3))
        .isEqualTo(instants(
            "2026-04-03T14:45:00Z", // 01:45 +11:00
            "2026-04-04T14:45:00Z", // 01:45 +11:00, first pass only
            "2026-04-05T15:15:00Z")); // 01:45 +10:30
    assertThat(next("*/15 * * * *", "Australia/Lord_Howe", "2026-04-04T14:40:00Z", 5))
        .isEqualTo(instants(
            "2026-04-04T14:45:00Z", // 01:45 +11:00
            "2026-04-04T15:00:00Z", // 01:30 +10:30 (02:00 +11:00 is the same instant)
            "2026-04-04T15:15:00Z", // 01:45 +10:30
            "2026-04-04T15:30:00Z", // 02:00 +10:30
            "2026-04-04T15:45:00Z"));
  }

  @Test
  void adelaideHasAHalfHourOffsetAndAWholeHourShift() {
    // Australia/Adelaide: +09:30 / +10:30. 2026-10-04 02:00 jumps to 03:00 (2026-10-03T16:30Z).
    assertThat(next("30 2 * * *", "Australia/Adelaide", "2026-10-02T12:00:00Z", 3))
        .isEqualTo(instants("2026-10-02T17:00:00Z", "2026-10-03T16:30:00Z", "2026-10-04T16:00:00Z"));
    // 2026-04-05 03:00 goes back to 02:00 (2026-04-04T16:30Z).
    assertThat(next("30 2 * * *", "Australia/Adelaide", "2026-04-03T12:00:00Z", 3))
        .isEqualTo(instants("2026-04-03T16:00:00Z", "2026-04-04T16:00:00Z", "2026-04-05T17:00:00Z"));
  }

  @Test
  void anIndianHalfHourOffsetWithoutDaylightSaving() {
    assertThat(next("0 0 * * *", "Asia/Kolkata", "2026-01-01T00:00:00Z", 2))
        .isEqualTo(instants("2026-01-01T18:30:00Z", "2026-01-02T18:30:00Z"));
  }

  @Test
  void occurrencesAreStrictlyIncreasingThroughAYearOfTransitions() {
    // 10,000 hourly occurrences from New Year (416 days) cover both 2026 transitions of each zone.
    for (String zone : List.of("Europe/Berlin", "America/New_York", "Australia/Lord_Howe")) {
      List<Instant> all = next("0 * * * *", zone, "2026-01-01T00:00:00Z", 10_000);
      for (int i = 1; i < all.size(); i++) {
        assertThat(all.get(i)).as(zone + " #" + i).isAfter(all.get(i - 1));
        if (zone.equals("Australia/Lord_Howe")) {
          continue; // a half-hour shift cannot keep an hourly wall-clock rhythm in real time
        }
        assertThat(java.time.Duration.between(all.get(i - 1), all.get(i)))
            .as(zone + " gap before " + all.get(i))
            .isEqualTo(java.time.Duration.ofHours(1));
      }
    }
  }
}
