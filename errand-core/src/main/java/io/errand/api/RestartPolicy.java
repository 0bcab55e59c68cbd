package io.errand.api;

import java.time.Duration;
import java.util.Objects;

/**
 * When a supervised key's instance is started again after it ended, how long after, and how
 * many times: at most {@code budget} restarts within {@code window}, after which the key is
 * FAILED until it is put again.
 *
 * @param mode    which ends lead to a restart
 * @param backoff the wait before restart n (n counted from 2, as attempts are)
 * @param budget  the most restarts within {@code window}
 * @param window  the span the budget counts over
 */
public record RestartPolicy(Mode mode, Backoff backoff, int budget, Duration window) {

  /** Which ends of an instance lead to a restart. */
  public enum Mode {
    /** Never restart: a crash leaves the key FAILED, a normal end STOPPED. */
    NEVER,
    /** Restart after a crash (an exception, or unhealthy); a normal end leaves it STOPPED. */
    ON_FAILURE,
    /** Restart after any end that was not asked for. */
    ALWAYS
  }

  /**
   * Checks the values.
   *
   * @throws InvalidSpecException for a null mode or backoff, a budget below 1 or a window that
   *                              is not positive
   */
  public RestartPolicy {
    InvalidSpecException.require(mode != null, "restart mode", null, "NEVER, ON_FAILURE or ALWAYS");
    InvalidSpecException.require(backoff != null, "restart backoff", null, "a Backoff");
    InvalidSpecException.require(budget >= 1, "restart budget", budget, ">= 1");
    InvalidSpecException.require(window != null && window.isPositive(), "restart window", window,
        "positive");
  }

  /**
   * Restarts after crashes, 1 s doubling to 1 min with 20% jitter, at most 5 times in 10 min.
   */
  public static RestartPolicy onFailure() {
    return new RestartPolicy(Mode.ON_FAILURE,
        Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1), 0.2), 5,
        Duration.ofMinutes(10));
  }

  /** Like {@link #onFailure()}, but restarts after a normal end too. */
  public static RestartPolicy always() {
    return onFailure().withMode(Mode.ALWAYS);
  }

  /** Never restarts. */
  public static RestartPolicy never() {
    return onFailure().withMode(Mode.NEVER);
  }

  /** This policy with {@code mode}. */
  public RestartPolicy withMode(Mode mode) {
    return new RestartPolicy(mode, backoff, budget, window);
  }

  /** This policy with {@code backoff}. */
  public RestartPolicy withBackoff(Backoff backoff) {
    return new RestartPolicy(mode, Objects.requireNonNull(backoff), budget, window);
  }

  /** This policy with at most {@code budget} restarts within {@code window}. */
  public RestartPolicy withBudget(int budget, Duration window) {
    return new RestartPolicy(mode, backoff, budget, window);
  }
}
