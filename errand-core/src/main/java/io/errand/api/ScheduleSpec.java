package io.errand.api;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * When a schedule's occurrences are: a {@link Cron} expression in a time zone, a fixed
 * {@link Interval}, or {@link Once} at an instant. Built in Java with {@link #cron(String)},
 * {@link #cron(String, String)}, {@link #every(Duration)}, {@link #every(Duration, Instant)} and
 * {@link #at(Instant)}, or read from text with {@link #parse(String)}; {@link #text()} gives the
 * text back. Values: immutable and thread-safe. See {@code docs/schedules.md}.
 */
public sealed interface ScheduleSpec
    permits ScheduleSpec.Cron, ScheduleSpec.Interval, ScheduleSpec.Once {

  /**
   * The first occurrence strictly after {@code after}, or empty when there is none (a one-off
   * already past, or a cron that never matches again).
   */
  Optional<Instant> next(Instant after);

  /** The spec as {@link #parse(String)} reads it back. */
  String text();

  /**
   * Up to {@code n} occurrences strictly after {@code after}, oldest first; fewer when the spec
   * has no more.
   *
   * @throws IllegalArgumentException if {@code n} is negative or above 10,000
   */
  default List<Instant> next(Instant after, int n) {
    if (n < 0 || n > 10_000) {
      throw new IllegalArgumentException("n must be 0-10000, was " + n);
    }
    List<Instant> found = new ArrayList<>(n);
    Instant at = after;
    while (found.size() < n) {
      Optional<Instant> next = next(at);
      if (next.isEmpty()) {
        break;
      }
      at = next.get();
      found.add(at);
    }
    return found;
  }

  /**
   * Reads a spec from text, as the server's config and HTTP API give it:
   *
   * <ul>
   *   <li>a cron expression, 5 or 6 fields or an alias ({@code 0 2 * * *}, {@code @hourly}),
   *       optionally preceded by its zone: {@code CRON_TZ=Europe/Berlin 0 2 * * *} (or
   *       {@code TZ=}); UTC when none is given;
   *   <li>an interval: {@code every 15m}, {@code every 1h30m}, {@code every PT15M}, optionally
   *       anchored: {@code every 1h from 2026-01-01T00:30:00Z};
   *   <li>a one-off: {@code at 2026-12-24T18:00:00Z} (any ISO-8601 instant with an offset).
   * </ul>
   *
   * @throws InvalidScheduleException naming the field, the bad text, its column and what is
   *     allowed
   */
  static ScheduleSpec parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.strip();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.startsWith("every ") || lower.equals("every")) {
      return IntervalText.parse(t);
    }
    if (lower.startsWith("at ") || lower.equals("at")) {
      String when = t.substring(2).strip();
      return at(instant(when, "at", text.indexOf(when) + 1));
    }
    if (lower.startsWith("cron_tz=") || lower.startsWith("tz=")) {
      int space = t.indexOf(' ');
      int equals = t.indexOf('=');
      String zone = space < 0 ? t.substring(equals + 1) : t.substring(equals + 1, space);
      String rest = space < 0 ? "" : t.substring(space + 1);
      return cron(rest, zone);
    }
    return cron(t);
  }

  /**
   * A cron expression evaluated in UTC.
   *
   * @throws InvalidScheduleException if the expression is not valid
   */
  static Cron cron(String expression) {
    return new Cron(expression, ZoneOffset.UTC);
  }

  /**
   * A cron expression evaluated in the time zone named {@code zone} (a region such as
   * {@code Europe/Berlin}, {@code UTC}, or an offset such as {@code +05:30}).
   *
   * @throws InvalidScheduleException if the expression is not valid or the zone is unknown
   */
  static Cron cron(String expression, String zone) {
    return new Cron(expression, zone(zone));
  }

  /**
   * Occurrences every {@code period}, at the instants {@code epoch + k × period}: periods that
   * divide a day line up with UTC midnight.
   *
   * @throws InvalidScheduleException if the period is under 1 s or over 100 years
   */
  static Interval every(Duration period) {
    return new Interval(period, Instant.EPOCH);
  }

  /**
   * Occurrences every {@code period}, at the instants {@code anchor + k × period} for every
   * whole k (the anchor sets the phase; it may lie in the future or the past).
   *
   * @throws InvalidScheduleException if the period is under 1 s or over 100 years
   */
  static Interval every(Duration period, Instant anchor) {
    return new Interval(period, anchor);
  }

  /** One occurrence, at {@code instant}. */
  static Once at(Instant instant) {
    return new Once(instant);
  }

  /**
   * A cron expression read in a time zone. Daylight saving: a local time that falls in a gap
   * (spring forward) occurs once, at the gap's end; a local time in a repeated hour (fall back)
   * occurs once, at its first pass, except when the hour field matches every hour, in which case
   * both passes occur (an "every 30 minutes" cron keeps firing every 30 minutes of real time).
   * Equal instants count once. See {@code docs/schedules.md}.
   */
  final class Cron implements ScheduleSpec {
    private final String expression;
    private final ZoneId zone;
    private final CronOccurrences occurrences;

    private Cron(String expression, ZoneId zone) {
      this.expression = Objects.requireNonNull(expression, "expression").strip();
      this.zone = zone;
      this.occurrences = new CronOccurrences(CronExpression.parse(this.expression), zone);
    }

    /** The expression as given (without its zone). */
    public String expression() {
      return expression;
    }

    /** The zone its fields are read in. */
    public ZoneId zone() {
      return zone;
    }

    @Override
    public Optional<Instant> next(Instant after) {
      return Optional.ofNullable(occurrences.next(after));
    }

    @Override
    public String text() {
      return zone.equals(ZoneOffset.UTC)
          ? expression
          : "CRON_TZ=" + zone.getId() + " " + expression;
    }

    /** Equal when the expression text and the zone are equal. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Cron c && c.expression.equals(expression) && c.zone.equals(zone);
    }

    @Override
    public int hashCode() {
      return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /**
   * Fixed-length occurrences: {@code anchor + k × period}; elapsed time, so daylight saving
   * changes nothing.
   *
   * @param period the time between occurrences, 1 s to 100 years
   * @param anchor an instant that is an occurrence (if it is after the time asked about)
   */
  record Interval(Duration period, Instant anchor) implements ScheduleSpec {
    /**
     * Checks the period.
     *
     * @throws InvalidScheduleException if the period is under 1 s or over 100 years
     */
    public Interval {
      Objects.requireNonNull(period, "period");
      Objects.requireNonNull(anchor, "anchor");
      if (period.compareTo(Duration.ofSeconds(1)) < 0 || !InvalidSpecException.notTooLong(period)) {
        throw new InvalidScheduleException(
            "interval period must be at least 1s and " + InvalidSpecException.AT_MOST_LONGEST
                + ", was " + period,
            "interval",
            period.toString(),
            0);
      }
    }

    @Override
    public Optional<Instant> next(Instant after) {
      try {
        Duration since = Duration.between(anchor, after);
        long k = since.dividedBy(period);
        if (period.multipliedBy(k).compareTo(since) > 0) {
          k--; // dividedBy truncates toward zero; the floor is wanted before the anchor
        }
        return Optional.of(anchor.plus(period.multipliedBy(k + 1)));
      } catch (ArithmeticException | DateTimeException beyondTime) {
        return Optional.empty();
      }
    }

    @Override
    public String text() {
      String every = "every " + IntervalText.format(period);
      return anchor.equals(Instant.EPOCH) ? every : every + " from " + anchor;
    }
  }

  /**
   * A single occurrence.
   *
   * @param at when it is due
   */
  record Once(Instant at) implements ScheduleSpec {
    /** Checks that {@code at} is given. */
    public Once {
      Objects.requireNonNull(at, "at");
    }

    @Override
    public Optional<Instant> next(Instant after) {
      return at.isAfter(after) ? Optional.of(at) : Optional.empty();
    }

    @Override
    public String text() {
      return "at " + at;
    }
  }

  private static ZoneId zone(String name) {
    Objects.requireNonNull(name, "zone");
    try {
      return ZoneId.of(name.strip());
    } catch (DateTimeException e) {
      throw new InvalidScheduleException(
          "zone '" + name + "' is not a known time zone; use a region such as Europe/Berlin or"
              + " America/New_York, UTC, or an offset such as +05:30",
          "zone",
          name,
          0);
    }
  }

  /** Reads an ISO-8601 instant with an offset; package-private for {@link IntervalText}. */
  static Instant instant(String text, String field, int column) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidScheduleException(
          field + " '" + text + "' is not an instant; write it as ISO-8601 with an offset, such as"
              + " 2026-12-24T18:00:00Z or 2026-12-24T19:00:00+01:00 (column " + column + ")",
          field,
          text,
          column);
    }
  }
}
