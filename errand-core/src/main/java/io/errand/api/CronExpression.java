package io.errand.api;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.util.BitSet;
import java.util.Map;

/**
 * A parsed cron expression, read as wall-clock (local) date-times: which local times match, and
 * the next matching local time. Time zones and daylight saving are {@link CronOccurrences}'
 * concern, not this one's.
 *
 * <p>Day-of-month and day-of-week follow Vixie cron: when both are restricted (neither starts
 * with {@code *}), a day matches if <em>either</em> matches; otherwise both must match.
 */
final class CronExpression {
  /** How far ahead a search goes before concluding the expression never matches again. */
  private static final int SEARCH_YEARS = 9;

  private static final Map<String, String> ALIASES =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private final BitSet seconds;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronExpression(BitSet[] fields, boolean anyDayOfMonth, boolean anyDayOfWeek) {
    this.seconds = fields[0];
    this.minutes = fields[1];
    this.hours = fields[2];
    this.daysOfMonth = fields[3];
    this.months = fields[4];
    this.daysOfWeek = fields[5];
    this.anyDayOfMonth = anyDayOfMonth;
    this.anyDayOfWeek = anyDayOfWeek;
  }

  /**
   * Parses 5 fields (minute hour day-of-month month day-of-week), 6 fields (a leading second
   * field) or an alias such as {@code @daily}.
   *
   * @throws InvalidScheduleException naming the bad field, its text and its column
   */
  static CronExpression parse(String expression) {
    String text = expression.strip();
    if (text.startsWith("@")) {
      String expanded = ALIASES.get(text.toLowerCase(java.util.Locale.ROOT));
      if (expanded == null) {
        throw new InvalidScheduleException(
            "cron '" + expression + "': '" + text + "' is not a cron alias; allowed: @yearly,"
                + " @annually, @monthly, @weekly, @daily, @midnight, @hourly (column 1)",
            "alias",
            text,
            1);
      }
      text = expanded;
      expression = expanded;
    }
    String[] parts = text.isEmpty() ? new String[0] : text.split("\\s+");
    if (parts.length != 5 && parts.length != 6) {
      throw new InvalidScheduleException(
          "cron '" + expression + "' has " + parts.length + " fields; expected 5 (minute hour"
              + " day-of-month month day-of-week) or 6 (a second field first)",
          "fields",
          expression,
          0);
    }
    CronField[] order = CronField.values();
    int first = parts.length == 6 ? 0 : 1;
    BitSet[] fields = new BitSet[6];
    if (first == 1) {
      fields[0] = new BitSet();
      fields[0].set(0);
    }
    int searchFrom = 0;
    for (int i = 0; i < parts.length; i++) {
      int at = expression.indexOf(parts[i], searchFrom);
      searchFrom = at + parts[i].length();
      fields[first + i] = order[first + i].parse(parts[i], expression, at + 1);
    }
    boolean anyDom = parts[parts.length - 3].startsWith("*") || parts[parts.length - 3].equals("?");
    boolean anyDow = parts[parts.length - 1].startsWith("*") || parts[parts.length - 1].equals("?");
    CronExpression cron = new CronExpression(fields, anyDom, anyDow);
    cron.requireSomeDay(expression, parts[parts.length - 3], parts[parts.length - 2]);
    return cron;
  }

  /** Refuses a day-of-month that no selected month has (Feb 30), which would never fire. */
  private void requireSomeDay(String expression, String domText, String monthText) {
    if (!anyDayOfWeek && !anyDayOfMonth) {
      return;
    }
    for (int m = months.nextSetBit(1); m >= 0; m = months.nextSetBit(m + 1)) {
      int longest = Month.of(m).maxLength();
      if (daysOfMonth.nextSetBit(1) <= longest) {
        return;
      }
    }
    throw new InvalidScheduleException(
        "cron '" + expression + "': day-of-month field '" + domText + "' never occurs in month"
            + " field '" + monthText + "'; such a schedule would never fire",
        "day-of-month",
        domText,
        0);
  }

  /** Whether every hour of the day matches, which decides how a repeated hour is treated. */
  boolean everyHour() {
    return hours.cardinality() == 24;
  }

  /**
   * The first local date-time at or after {@code from} (whole seconds) that matches, or null if
   * none in the next nine years (a Feb 29 schedule fires at least every eight years).
   */
  LocalDateTime nextLocal(LocalDateTime from) {
    LocalDateTime t = from.withNano(0).isBefore(from) ? from.withNano(0).plusSeconds(1) : from;
    int lastYear = from.getYear() + SEARCH_YEARS;
    while (t.getYear() <= lastYear) {
      if (!months.get(t.getMonthValue())) {
        int m = months.nextSetBit(t.getMonthValue() + 1);
        t =
            m < 0
                ? LocalDateTime.of(t.getYear() + 1, months.nextSetBit(1), 1, 0, 0)
                : LocalDateTime.of(t.getYear(), m, 1, 0, 0);
        continue;
      }
      if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      int h = hours.nextSetBit(t.getHour());
      if (h < 0) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      if (h != t.getHour()) {
        t = t.toLocalDate().atTime(LocalTime.of(h, 0));
      }
      int m = minutes.nextSetBit(t.getMinute());
      if (m < 0) {
        t = t.withMinute(0).withSecond(0).plusHours(1);
        continue;
      }
      if (m != t.getMinute()) {
        t = t.withMinute(m).withSecond(0);
      }
      int s = seconds.nextSetBit(t.getSecond());
      if (s < 0) {
        t = t.withSecond(0).plusMinutes(1);
        continue;
      }
      return t.withSecond(s);
    }
    return null;
  }

  private boolean dayMatches(LocalDate date) {
    boolean dom = daysOfMonth.get(date.getDayOfMonth());
    DayOfWeek day = date.getDayOfWeek();
    boolean dow = daysOfWeek.get(day == DayOfWeek.SUNDAY ? 0 : day.getValue());
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }
}
