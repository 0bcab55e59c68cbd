package io.errand.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the text of an interval spec: {@code every 15m}, {@code every 1h30m},
 * {@code every PT90S}, {@code every 1d from 2026-01-01T06:00:00Z}.
 */
final class IntervalText {
  private static final Pattern PARTS =
      Pattern.compile("(?:\\d{1,9}[dhms])+", Pattern.CASE_INSENSITIVE);
  private static final Pattern PART =
      Pattern.compile("(\\d{1,9})([dhms])", Pattern.CASE_INSENSITIVE);

  private IntervalText() {}

  static ScheduleSpec.Interval parse(String text) {
    String rest = text.strip().substring("every".length()).strip();
    String periodText = rest;
    Instant anchor = Instant.EPOCH;
    int from = rest.toLowerCase(Locale.ROOT).indexOf(" from ");
    if (from >= 0) {
      periodText = rest.substring(0, from).strip();
      String anchorText = rest.substring(from + " from ".length()).strip();
      anchor = ScheduleSpec.instant(anchorText, "anchor", text.lastIndexOf(anchorText) + 1);
    }
    int column = periodText.isEmpty() ? text.length() + 1 : text.indexOf(periodText) + 1;
    return ScheduleSpec.every(period(periodText, "interval", column), anchor);
  }

  /**
   * A period written like {@code 15m}, {@code 1h30m} or {@code PT15M}; {@code field} and
   * {@code column} only serve the error message.
   */
  static Duration period(String text, String field, int column) {
    if (PARTS.matcher(text).matches()) {
      Duration d = Duration.ZERO;
      Matcher m = PART.matcher(text);
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        d = d.plus(switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        });
      }
      return d;
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InvalidScheduleException(
          field + " '" + text + "' is not a period; write it like 30s, 15m, 1h30m, 1d or PT15M"
              + (column > 0 ? " (column " + column + ")" : ""),
          field,
          text,
          column);
    }
  }

  /** {@code d} in the short form {@link #parse} reads, e.g. {@code 1h30m}. */
  static String format(Duration d) {
    StringBuilder out = new StringBuilder();
    long s = d.getSeconds();
    long[] sizes = {86_400, 3_600, 60, 1};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (s >= sizes[i]) {
        out.append(s / sizes[i]).append(units[i]);
        s %= sizes[i];
      }
    }
    if (d.getNano() != 0) {
      return d.toString();
    }
    return out.toString();
  }
}
