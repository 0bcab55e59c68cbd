package io.errand.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad spec text is refused with the field, the bad value, its column and what is allowed. */
class ScheduleSpecErrorsTest {

  private static InvalidScheduleException refusal(String text) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> ScheduleSpec.parse(text));
    assertThat(t).as(text).isInstanceOf(InvalidScheduleException.class);
    InvalidScheduleException e = (InvalidScheduleException) t;
    assertThat(e.code()).isEqualTo("invalid_spec");
    return e;
  }

  @Test
  void aMinuteOutOfRangeNamesTheFieldTheValueTheRangeAndTheColumn() {
    // Six fields: the second is 0, the minute 61.
    InvalidScheduleException e = refusal("0 61 * * * *");
    assertThat(e).hasMessage("cron '0 61 * * * *': minute field '61' is out of range 0-59 (column 3)");
    assertThat(e.field()).isEqualTo("minute");
    assertThat(e.value()).isEqualTo("61");
    assertThat(e.column()).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "61 * * * *|minute|61|1|'61' is out of range 0-59",
        "0 24 * * *|hour|24|3|'24' is out of range 0-23",
        "0 0 0 * *|day-of-month|0|5|'0' is out of range 1-31",
        "0 0 32 * *|day-of-month|32|5|'32' is out of range 1-31",
        "0 0 * 13 *|month|13|7|'13' is out of range 1-12",
        "0 0 * JANX *|month|JANX|7|'JANX' is not allowed; use 1-12 or JAN-DEC",
        "0 0 * * 8|day-of-week|8|9|'8' is out of range 0-7",
        "0 0 * * MON-FUN|day-of-week|FUN|13|'FUN' is not allowed; use 0-7 or SUN-SAT",
        "60 0 0 * * *|second|60|1|'60' is out of range 0-59",
        "0 5-2 * * *|hour|5-2|3|'5-2' starts after it ends",
        "*/0 * * * *|minute|*/0|3|has step '0' out of range 1-59",
        "*/x * * * *|minute|*/x|3|has step 'x'",
        "1,,2 * * * *|minute|1,,2|3|has an empty list item",
        "0 0 * * 1-|day-of-week||11|is missing a value",
        "0 0 99999999999 * *|day-of-month|99999999999|5|is out of range 1-31",
        "0 0 30 2 *|day-of-month|30|0|never occurs in month field '2'",
        "0 0 L * *|day-of-month|L|5|'L' is not allowed; use 1-31",
        "0 0 * * 5#2|day-of-week|5#2|9|'5#2' is not allowed; use 0-7 or SUN-SAT",
      })
  void eachFieldSaysWhatIsWrongAndWhere(String text, String field, String value, int column, String says) {
    InvalidScheduleException e = refusal(text);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.value()).isEqualTo(value == null ? "" : value);
    assertThat(e.column()).isEqualTo(column);
    assertThat(e.getMessage()).startsWith("cron '" + text + "': " + field + " field").contains(says);
  }

  @Test
  void theWrongNumberOfFieldsSaysWhichAreExpected() {
    assertThat(refusal("* * * *")).hasMessage(
        "cron '* * * *' has 4 fields; expected 5 (minute hour day-of-month month day-of-week) or"
            + " 6 (a second field first)");
    assertThat(refusal("").field()).isEqualTo("fields");
    assertThat(refusal("* * * * * * *").getMessage()).contains("has 7 fields");
  }

  @Test
  void anUnknownAliasListsTheKnownOnes() {
    assertThat(refusal("@fortnightly")).hasMessageContaining(
        "'@fortnightly' is not a cron alias; allowed: @yearly, @annually, @monthly, @weekly,"
            + " @daily, @midnight, @hourly");
  }

  @Test
  void anUnknownZoneIsNamed() {
    InvalidScheduleException e = refusal("CRON_TZ=Europe/Berln 0 2 * * *");
    assertThat(e.field()).isEqualTo("zone");
    assertThat(e.value()).isEqualTo("Europe/Berln");
    assertThat(e).hasMessageStartingWith("zone 'Europe/Berln' is not a known time zone; use a region");
    assertThatThrownBy(() -> ScheduleSpec.cron("0 2 * * *", "Mars/Olympus"))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessageContaining("'Mars/Olympus'");
  }

  @Test
  void badIntervalsAndInstants() {
    assertThat(refusal("every 15x")).hasMessage(
        "interval '15x' is not a period; write it like 30s, 15m, 1h30m, 1d or PT15M (column 7)");
    assertThat(refusal("every").field()).isEqualTo("interval");
    assertThat(refusal("every 0s")).hasMessageContaining("at least 1s");
    assertThat(refusal("every 36526d")).hasMessageContaining("at most 36525 days");
    assertThat(refusal("every 1h from yesterday").field()).isEqualTo("anchor");
    InvalidScheduleException at = refusal("at 2026-12-24 18:00");
    assertThat(at.field()).isEqualTo("at");
    assertThat(at.column()).isEqualTo(4);
    assertThatThrownBy(() -> ScheduleSpec.every(Duration.ofMillis(500)))
        .isInstanceOf(InvalidScheduleException.class);
  }

  @Test
  void itIsAnInvalidSpecExceptionSoExistingHandlersCatchIt() {
    assertThatThrownBy(() -> ScheduleSpec.parse("0 61 * * *")).isInstanceOf(InvalidSpecException.class);
  }
}
