package io.errand.api;

import java.time.Duration;

/**
 * A distribution of durations since start: count, mean and percentiles. Percentiles are exact
 * to within about 3% of their value.
 */
public record LatencySummary(long count, Duration mean, Duration p50, Duration p95,
    Duration p99, Duration max) {
  /** No samples. */
  public static final LatencySummary EMPTY = new LatencySummary(0, Duration.ZERO, Duration.ZERO,
      Duration.ZERO, Duration.ZERO, Duration.ZERO);
}
