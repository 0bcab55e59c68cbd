package io.errand.api;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * One field of a cron expression: its name, its range and the names it accepts, and the parser
 * that turns its text ({@code *}, {@code 5}, {@code 1-5}, {@code *}{@code /15}, {@code 10/5},
 * {@code MON-FRI}, lists of these) into the set of values it matches.
 */
enum CronField {
  SECOND("second", 0, 59, List.of()),
  MINUTE("minute", 0, 59, List.of()),
  HOUR("hour", 0, 23, List.of()),
  DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
  MONTH(
      "month",
      1,
      12,
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
  // 0 and 7 both mean Sunday, as in Vixie cron; 7 is folded onto 0 after parsing.
  DAY_OF_WEEK("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

  private final String label;
  private final int min;
  private final int max;
  private final List<String> names;

  CronField(String label, int min, int max, List<String> names) {
    this.label = label;
    this.min = min;
    this.max = max;
    this.names = names;
  }

  /** The name messages use, e.g. {@code day-of-month}. */
  String label() {
    return label;
  }

  /** What this field accepts, as messages say it. */
  private String allowed() {
    String range = min + "-" + max;
    if (names.isEmpty()) {
      return range;
    }
    return range + " or " + names.get(0) + "-" + names.get(names.size() - 1);
  }

  /**
   * The values {@code text} matches. {@code expression} and {@code column} (1-based, where
   * {@code text} starts in it) only serve the error message.
   *
   * @throws InvalidScheduleException naming this field, the bad part and its column
   */
  BitSet parse(String text, String expression, int column) {
    BitSet values = new BitSet(max + 1);
    int offset = 0;
    for (String item : text.split(",", -1)) {
      if (item.isEmpty()) {
        throw error(expression, text, column + offset, "has an empty list item in '" + text + "'");
      }
      parseItem(item, values, expression, column + offset);
      offset += item.length() + 1;
    }
    if (this == DAY_OF_WEEK && values.get(7)) {
      values.clear(7);
      values.set(0);
    }
    return values;
  }

  private void parseItem(String item, BitSet values, String expression, int column) {
    int slash = item.indexOf('/');
    String base = slash < 0 ? item : item.substring(0, slash);
    int step = 1;
    if (slash >= 0) {
      String stepText = item.substring(slash + 1);
      int stepColumn = column + slash + 1;
      if (!stepText.chars().allMatch(Character::isDigit) || stepText.isEmpty()) {
        throw error(expression, item, stepColumn,
            "has step '" + stepText + "'; a step is a whole number like */15");
      }
      step = parseNumber(stepText);
      if (step < 1 || step > max) {
        throw error(expression, item, stepColumn,
            "has step '" + stepText + "' out of range 1-" + max);
      }
    }
    int from;
    int to;
    if (base.equals("*") || base.equals("?")) {
      from = min;
      to = this == DAY_OF_WEEK ? 6 : max;
    } else {
      int dash = base.indexOf('-');
      if (dash < 0) {
        from = value(base, expression, column);
        // "10/5" means from 10 to the end of the range, every 5.
        to = slash >= 0 ? (this == DAY_OF_WEEK ? 6 : max) : from;
      } else {
        from = value(base.substring(0, dash), expression, column);
        to = value(base.substring(dash + 1), expression, column + dash + 1);
        if (from > to) {
          throw error(
              expression,
              item,
              column,
              "'" + base + "' starts after it ends; ranges do not wrap around, use a list such as "
                  + (this == DAY_OF_WEEK ? "FRI-SAT,SUN-MON" : "22-23,0-2"));
        }
      }
    }
    for (int v = from; v <= to; v += step) {
      values.set(v);
    }
  }

  private int value(String text, String expression, int column) {
    if (text.isEmpty()) {
      throw error(expression, text, column, "is missing a value; allowed: " + allowed());
    }
    if (text.chars().allMatch(Character::isDigit)) {
      int v = parseNumber(text);
      if (v < min || v > max) {
        throw error(expression, text, column, "'" + text + "' is out of range " + min + "-" + max);
      }
      return v;
    }
    int named = names.indexOf(text.toUpperCase(Locale.ROOT));
    if (named < 0) {
      throw error(expression, text, column, "'" + text + "' is not allowed; use " + allowed());
    }
    return this == MONTH ? named + 1 : named;
  }

  /** A run of digits as an int; absurdly long numbers become a value no range accepts. */
  private static int parseNumber(String digits) {
    return digits.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(digits);
  }

  private InvalidScheduleException error(String expression, String value, int column, String what) {
    return new InvalidScheduleException(
        "cron '" + expression + "': " + label + " field " + what + " (column " + column + ")",
        label,
        value,
        column);
  }
}
