package io.errand.api;

import java.time.Duration;

/**
 * How a supervised instance is stopped, in three stages (seed 001's 5 s / 10 s / 3 s):
 * {@code graceful}: it is asked to stop (its checkpoint throws, its onCancel callbacks run);
 * {@code forced}: its thread is interrupted; {@code last}: it is interrupted once more. An
 * instance still running after all three is abandoned: counted, logged, and no longer the key's.
 *
 * @param graceful wait after the cooperative stop request
 * @param forced   wait after the first interrupt
 * @param last     wait after the second interrupt
 */
public record StopTimeouts(Duration graceful, Duration forced, Duration last) {
  /** The seed's stages: 5 s, 10 s, 3 s. */
  public static final StopTimeouts DEFAULTS =
      new StopTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(3));

  /**
   * Checks the stages.
   *
   * @throws InvalidSpecException if a stage is null or negative
   */
  public StopTimeouts {
    for (Duration d : new Duration[] {graceful, forced, last}) {
      InvalidSpecException.require(d != null && !d.isNegative(), "stop time-out", d, ">= 0");
    }
  }

  /** All three stages together: the longest a stop can take. */
  public Duration total() {
    return graceful.plus(forced).plus(last);
  }
}
