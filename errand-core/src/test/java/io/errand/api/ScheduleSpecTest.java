package io.errand.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cron field semantics, intervals, one-offs, and parsing the text forms back and forth. */
class ScheduleSpecTest {
  private static final Instant NEW_YEAR = Instant.parse("2026-01-01T00:00:00Z");

  private static List<Instant> next(String text, String after, int n) {
    return ScheduleSpec.parse(text).next(Instant.parse(after), n);
  }

  private static List<Instant> instants(String... texts) {
    return java.util.Arrays.stream(texts).map(Instant::parse).toList();
  }

  @Test
  void fiveFieldsRangesListsStepsAndNames() {
    assertThat(next("0 9-17/4 * * MON-FRI", "2026-01-02T10:00:00Z", 4)) // Fri 2 Jan 2026
        .isEqualTo(instants(
            "2026-01-02T13:00:00Z", "2026-01-02T17:00:00Z",
            "2026-01-05T09:00:00Z", "2026-01-05T13:00:00Z"));
    assertThat(next("5,35 */12 1 jan,Jul *", "2026-01-01T00:00:00Z", 5))
        .isEqualTo(instants(
            "2026-01-01T00:05:00Z", "2026-01-01T00:35:00Z",
            "2026-01-01T12:05:00Z", "2026-01-01T12:35:00Z", "2026-07-01T00:05:00Z"));
  }

  @Test
  void aSixthLeadingFieldIsSeconds() {
    assertThat(next("*/20 0 12 * * *", "2026-01-01T11:59:59Z", 4))
        .isEqualTo(instants(
            "2026-01-01T12:00:00Z", "2026-01-01T12:00:20Z",
            "2026-01-01T12:00:40Z", "2026-01-02T12:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource({
    "@yearly,   2027-01-01T00:00:00Z",
    "@annually, 2027-01-01T00:00:00Z",
    "@monthly,  2026-02-01T00:00:00Z",
    "@weekly,   2026-01-04T00:00:00Z",
    "@daily,    2026-01-02T00:00:00Z",
    "@midnight, 2026-01-02T00:00:00Z",
    "@hourly,   2026-01-01T01:00:00Z"
  })
  void aliases(String alias, String expected) {
    assertThat(ScheduleSpec.parse(alias).next(NEW_YEAR)).contains(Instant.parse(expected));
  }

  @Test
  void dayOfMonthAndDayOfWeekBothRestrictedMeansEitherAsInVixieCron() {
    // The 13th, or any Friday (January 2026: Fridays are the 2nd, 9th, 16th).
    assertThat(next("0 0 13 * FRI", "2026-01-01T00:00:00Z", 4))
        .isEqualTo(instants(
            "2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z",
            "2026-01-13T00:00:00Z", "2026-01-16T00:00:00Z"));
    // A '*' in either field means the other one alone decides.
    assertThat(next("0 0 * * FRI", "2026-01-01T00:00:00Z", 2))
        .isEqualTo(instants("2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z"));
    assertThat(next("0 0 13 * *", "2026-01-01T00:00:00Z", 2))
        .isEqualTo(instants("2026-01-13T00:00:00Z", "2026-02-13T00:00:00Z"));
    // '*/10' starts with '*', so it does not count as a restriction: both must match, here
    // the 1st, 11th, 21st or 31st when it is a Monday.
    assertThat(next("0 0 */10 * 1", "2026-01-01T00:00:00Z", 3))
        .isEqualTo(instants("2026-05-11T00:00:00Z", "2026-06-01T00:00:00Z", "2026-08-31T00:00:00Z"));
  }

  @Test
  void sundayIsZeroOrSeven() {
    assertThat(next("0 0 * * 7", "2026-01-01T00:00:00Z", 1)).isEqualTo(next("0 0 * * 0", "2026-01-01T00:00:00Z", 1));
    assertThat(next("0 0 * * SUN", "2026-01-01T00:00:00Z", 1)).isEqualTo(instants("2026-01-04T00:00:00Z"));
  }

  @Test
  void february29thOnlyInLeapYears() {
    assertThat(next("0 0 29 2 *", "2026-01-01T00:00:00Z", 3))
        .isEqualTo(instants("2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"));
    // 2100 is not a leap year: eight years between 2096 and 2104.
    assertThat(next("0 0 29 2 *", "2096-03-01T00:00:00Z", 1)).isEqualTo(instants("2104-02-29T00:00:00Z"));
  }

  @Test
  void the31stSkipsShortMonthsAndTheLastSecondRollsIntoTheNextYear() {
    assertThat(next("0 0 31 * *", "2026-01-31T00:00:00Z", 3))
        .isEqualTo(instants("2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"));
    assertThat(next("59 59 23 31 12 *", "2026-06-01T00:00:00Z", 2))
        .isEqualTo(instants("2026-12-31T23:59:59Z", "2027-12-31T23:59:59Z"));
    assertThat(next("0 0 1 1 *", "2026-12-31T23:59:59.999Z", 1)).isEqualTo(instants("2027-01-01T00:00:00Z"));
  }

  @Test
  void nextIsStrictlyAfterEvenWithinTheSameSecond() {
    assertThat(next("0 0 * * *", "2026-01-01T00:00:00Z", 1)).isEqualTo(instants("2026-01-02T00:00:00Z"));
    assertThat(next("0 0 * * *", "2025-12-31T23:59:59.999999999Z", 1)).isEqualTo(instants("2026-01-01T00:00:00Z"));
  }

  @Test
  void intervalsFollowTheirAnchor() {
    assertThat(next("every 15m", "2026-01-01T00:07:00Z", 2))
        .isEqualTo(instants("2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z"));
    assertThat(next("every 1h30m from 2026-01-01T00:10:00Z", "2026-01-01T00:00:00Z", 3))
        .isEqualTo(instants("2026-01-01T00:10:00Z", "2026-01-01T01:40:00Z", "2026-01-01T03:10:00Z"));
    // An anchor in the future still sets the phase of earlier occurrences.
    assertThat(ScheduleSpec.every(Duration.ofHours(1), Instant.parse("2030-01-01T00:20:00Z")).next(NEW_YEAR))
        .contains(Instant.parse("2026-01-01T00:20:00Z"));
    assertThat(next("every PT90S", "2026-01-01T00:00:00Z", 1)).isEqualTo(instants("2026-01-01T00:01:30Z"));
  }

  @Test
  void aOneOffHappensOnce() {
    assertThat(next("at 2026-12-24T19:00:00+01:00", "2026-01-01T00:00:00Z", 3))
        .isEqualTo(instants("2026-12-24T18:00:00Z"));
    assertThat(next("at 2026-12-24T18:00:00Z", "2026-12-24T18:00:00Z", 1)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 2 * * *",
        "CRON_TZ=Europe/Berlin */30 9-17 * * MON-FRI",
        "every 15m",
        "every 1d2h from 2026-01-01T06:00:00Z",
        "at 2026-12-24T18:00:00Z"
      })
  void textReadsBackToAnEqualSpec(String text) {
    ScheduleSpec spec = ScheduleSpec.parse(text);
    assertThat(spec.text()).isEqualTo(text);
    assertThat(ScheduleSpec.parse(spec.text())).isEqualTo(spec);
  }

  @Test
  void aZoneCanBeGivenInTheTextOrInJava() {
    ScheduleSpec.Cron cron = (ScheduleSpec.Cron) ScheduleSpec.parse("TZ=America/New_York 0 9 * * *");
    assertThat(cron.zone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(cron).isEqualTo(ScheduleSpec.cron("0 9 * * *", "America/New_York"));
    assertThat(ScheduleSpec.cron("0 9 * * *").zone().getId()).isEqualTo("Z");
  }
}
