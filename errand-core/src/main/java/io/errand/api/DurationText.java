package io.errand.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write and read them: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 1d}, or ISO-8601 ({@code PT30S}); at most {@link #LONGEST}. The one reader and writer
 * of durations as text: the engine's messages ("timed out after 30s"), the server's config
 * files, its command line and its HTTP API all use it, so each reads back what another wrote.
 */
public final class DurationText {
  /**
   * The longest duration taken, 100 years (36,525 days): the engine's limit for every setting,
   * so that every time computed from one fits a long.
   */
  public static final Duration LONGEST = Errand.LONGEST_DURATION;
  /** {@link #LONGEST} as messages say it. */
  public static final String AT_MOST_LONGEST = "at most 36525 days (100 years)";

  private static final Pattern SHORT =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private DurationText() {}

  /** A duration written correctly but longer than {@link #LONGEST}. */
  public static final class TooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private TooLongException(String text) {
      super("'" + text + "' is longer than the longest duration taken, 36525d (100 years)");
    }
  }

  /**
   * The duration {@code text} stands for.
   *
   * @throws TooLongException if it is longer than {@link #LONGEST} (however many digits it has)
   * @throws IllegalArgumentException naming the text and the forms that are accepted
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    Matcher m = SHORT.matcher(t);
    Duration d;
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1)); // Infinity for too many digits: too long
      double millis = switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms" -> n;
        case "s" -> n * 1_000;
        case "m" -> n * 60_000;
        case "h" -> n * 3_600_000;
        default -> n * 86_400_000;
      };
      if (!(millis <= LONGEST.toMillis())) {
        throw new TooLongException(text);
      }
      d = Duration.ofMillis(Math.round(millis));
    } else {
      try {
        d = Duration.parse(t);
      } catch (DateTimeParseException e) {
        if (e.getCause() != null) { // the form is right; a number did not fit a long
          throw new TooLongException(text);
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration; write it like"
            + " 250ms, 30s, 5m, 2h, 1d or PT30S");
      }
    }
    if (d.compareTo(LONGEST) > 0) {
      throw new TooLongException(text);
    }
    return d;
  }

  /** {@code d} the way {@link #parse} reads it back, e.g. {@code 30s} or {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }
}
