package io.errand.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a schedule does when an occurrence comes due while the task of an earlier occurrence is
 * still live (waiting or running). See {@code docs/schedules.md}.
 */
public enum OverlapPolicy {
  /** Do not start this occurrence; it is recorded as skipped (the default). */
  SKIP,
  /**
   * Hold this occurrence until the live run ends, then start it; at most one is held, and an
   * occurrence that comes due while one is already held is skipped.
   */
  QUEUE_ONE,
  /** Start this occurrence beside the live run(s). */
  ALLOW,
  /** Cancel the live run, then start this occurrence once it has ended. */
  CANCEL_PREVIOUS;

  /** The name the config and HTTP API use: {@code skip}, {@code queue_one}, ... */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code skip}, {@code queue_one}, {@code allow} or {@code cancel_previous} (any case).
   *
   * @throws InvalidScheduleException naming the text and the accepted names
   */
  public static OverlapPolicy parse(String text) {
    Objects.requireNonNull(text, "text");
    for (OverlapPolicy p : values()) {
      if (p.text().equalsIgnoreCase(text.strip())) {
        return p;
      }
    }
    throw new InvalidScheduleException(
        "overlap policy '" + text + "' is not one of: "
            + Arrays.stream(values()).map(OverlapPolicy::text).collect(Collectors.joining(", ")),
        "overlap",
        text,
        0);
  }
}
