package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Values from the API's JSON as people read them: ages, durations, short one-line text. */
public final class Format {
  /** What an absent value prints as. */
  static final String NONE = "-";

  private Format() {}

  /** A field's text, on one line; {@link #NONE} when it is absent, null or empty. */
  public static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return NONE;
    }
    String s = v.isValueNode() ? v.asText() : v.toString();
    return s.isBlank() ? NONE : oneLine(s);
  }

  /** {@code s} with its line breaks and runs of white space as single spaces. */
  static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  /** {@code s} cut to {@code max} characters, ending in "..." when cut. */
  public static String shorten(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    return max <= 3 ? s.substring(0, max) : s.substring(0, max - 3) + "...";
  }

  /** How long ago the ISO-8601 instant in {@code field} was, e.g. {@code 5m}; or "-". */
  static String age(JsonNode node, String field, Instant now) {
    Instant then = instant(node, field);
    return then == null ? NONE : duration(Duration.between(then, now));
  }

  /** The ISO-8601 instant in {@code field}, or null. */
  static Instant instant(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (!v.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(v.textValue());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * A duration as people read it: {@code 450ms}, {@code 2.5s}, {@code 2s}, {@code 3m05s},
   * {@code 2h10m}, {@code 3d04h}.
   */
  static String duration(Duration d) {
    if (d.isNegative()) {
      d = Duration.ZERO; // clocks of client and server may differ a little
    }
    long s = d.toSeconds();
    if (s < 1) {
      return d.toMillis() + "ms";
    }
    if (s < 10 && d.toMillis() % 1000 != 0) {
      return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
  }

  /** An ISO-8601 instant field with its age: {@code 2030-01-01T09:00:00Z (5m ago)}, or "-". */
  static String when(JsonNode node, String field, Instant now) {
    Instant t = instant(node, field);
    if (t == null) {
      return NONE;
    }
    Duration d = Duration.between(t, now);
    return t.truncatedTo(ChronoUnit.SECONDS)
        + (d.isNegative() ? " (in " + duration(d.negated()) + ")"
        : " (" + duration(d) + " ago)");
  }
}
