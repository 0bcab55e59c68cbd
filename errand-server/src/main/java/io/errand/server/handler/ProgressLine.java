package io.errand.server.handler;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stdout lines by which a program run by {@code exec} reports progress:
 *
 * <pre>
 *   ::progress 3/10 copying part 3      current 3 of a total of 10, with a message
 *   ::progress 40% resizing             40 of 100
 *   ::progress 1200 rows read           1200 of an unknown total
 * </pre>
 *
 * The message is optional. A line that starts with {@code ::progress} but does not follow this
 * form is ordinary output.
 */
final class ProgressLine {
  /** What a progress line starts with. */
  static final String PREFIX = "::progress";
  private static final int MAX_MESSAGE = 1000;
  private static final Pattern FORM = Pattern.compile(
      "::progress\\s+(?:(\\d{1,18})/(\\d{1,18})|(\\d{1,3}(?:\\.\\d+)?)%|(\\d{1,18}))"
          + "(?:\\s+(.*?))?\\s*");

  /** One report: as {@link io.errand.api.TaskContext#progress} takes it. */
  record Progress(long current, long total, String message) {}

  private ProgressLine() {}

  /** The report {@code line} makes, or empty when it is not a progress line. */
  static Optional<Progress> parse(String line) {
    if (!line.startsWith(PREFIX)) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    String message = m.group(5);
    if (message != null && message.isEmpty()) {
      message = null;
    } else if (message != null && message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE);
    }
    if (m.group(1) != null) {
      return Optional.of(new Progress(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
          message));
    }
    if (m.group(3) != null) {
      double pct = Math.min(100.0, Double.parseDouble(m.group(3)));
      return Optional.of(new Progress((long) Math.floor(pct), 100, message));
    }
    return Optional.of(new Progress(Long.parseLong(m.group(4)), 0, message));
  }
}
