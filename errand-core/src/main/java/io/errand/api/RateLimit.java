package io.errand.api;

import java.time.Duration;

/**
 * At most {@link #starts} task starts in any window of length {@link #period} (a sliding
 * window over the starts themselves, not a token bucket: no burst beyond {@code starts} is
 * ever allowed, and a start is allowed as soon as the oldest start in the window is
 * {@code period} old). Counted by the store, so on PostgreSQL it holds across nodes.
 *
 * @param starts the most starts in a window, at least 1
 * @param period the window, at least 1 ms and {@link Errand#LONGEST_DURATION} at most
 */
public record RateLimit(int starts, Duration period) {
  /**
   * Checks the limit.
   *
   * @throws InvalidSpecException naming the setting, the value and what is allowed
   */
  public RateLimit {
    InvalidSpecException.require(starts >= 1, "rate limit starts", starts,
        ">= 1 (leave the rate limit unset for none)");
    InvalidSpecException.require(period != null && period.toMillis() >= 1
        && InvalidSpecException.notTooLong(period), "rate limit period", period,
        "at least 1ms and " + InvalidSpecException.AT_MOST_LONGEST);
  }

  /** As the docs and hold reasons write it: {@code 100/1m}. */
  @Override
  public String toString() {
    return starts + "/" + DurationText.format(period);
  }
}
