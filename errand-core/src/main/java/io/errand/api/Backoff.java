package io.errand.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed task waits before its next attempt. Two forms: a fixed delay (the Yao pools'
 * {@code attempt_after}) and an exponential one with jitter.
 */
public sealed interface Backoff {

  /** The delay before attempt {@code nextAttempt} (2 for the first retry). */
  Duration delayBefore(int nextAttempt);

  /** The same {@code delay} before every retry; {@link Duration#ZERO} retries at once. */
  static Backoff fixed(Duration delay) {
    return new Fixed(delay);
  }

  /**
   * {@code initial}, doubled per retry up to {@code max}, each delay spread at random by up to
   * ±{@code jitter} (0 to 1) of itself so that failing tasks do not retry in lock-step.
   */
  static Backoff exponential(Duration initial, Duration max, double jitter) {
    return new Exponential(initial, max, jitter);
  }

  /** A fixed delay. */
  record Fixed(Duration delay) implements Backoff {
    /** Checks the delay is not negative and at most 100 years. */
    public Fixed {
      Objects.requireNonNull(delay, "delay");
      InvalidSpecException.require(!delay.isNegative() && InvalidSpecException.notTooLong(delay),
          "backoff delay", delay, ">= 0 and " + InvalidSpecException.AT_MOST_LONGEST);
    }

    @Override
    public Duration delayBefore(int nextAttempt) {
      return delay;
    }
  }

  /** An exponential delay with jitter. */
  record Exponential(Duration initial, Duration max, double jitter) implements Backoff {
    /** Checks the bounds and the jitter (see {@link Backoff#exponential}). */
    public Exponential {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      InvalidSpecException.require(initial.isPositive(), "backoff initial", initial, "> 0");
      InvalidSpecException.require(max.compareTo(initial) >= 0, "backoff max", max,
          ">= initial (" + initial + ")");
      InvalidSpecException.require(InvalidSpecException.notTooLong(max), "backoff max", max,
          InvalidSpecException.AT_MOST_LONGEST);
      InvalidSpecException.require(jitter >= 0 && jitter <= 1, "backoff jitter", jitter,
          "between 0 and 1");
    }

    @Override
    public Duration delayBefore(int nextAttempt) {
      int doublings = Math.max(0, Math.min(nextAttempt - 2, 62));
      long base = initial.toNanos();
      long nanos = base > (max.toNanos() >> doublings) ? max.toNanos() : base << doublings;
      nanos = Math.min(nanos, max.toNanos());
      if (jitter > 0) {
        double spread = (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
        nanos = Math.max(0, (long) (nanos * (1 + spread)));
      }
      return Duration.ofNanos(nanos);
    }
  }
}
