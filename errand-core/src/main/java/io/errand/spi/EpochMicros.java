package io.errand.spi;

import java.time.Instant;

/**
 * Instants as the stores keep them: whole microseconds since 1970-01-01T00:00:00Z in a
 * {@code long}. A long of microseconds spans about 292,000 years either side of 1970; an
 * instant beyond that (which the API never lets in: see
 * {@link io.errand.api.SubmitOptions#LATEST_RUN_AT}) is kept at the nearest end of the range
 * rather than overflowing, and {@link Long#MAX_VALUE} is never produced, so that stores may use
 * it to mean "none".
 */
public final class EpochMicros {
  /** The latest value {@link #of} returns. */
  public static final long MAX = Long.MAX_VALUE - 1;
  /** The earliest value {@link #of} returns. */
  public static final long MIN = Long.MIN_VALUE + 1;

  private EpochMicros() {}

  /**
   * {@code t} in epoch microseconds, truncated toward the past, and saturated at {@link #MIN}
   * and {@link #MAX}; never throws.
   */
  public static long of(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds > MAX / 1_000_000L) {
      return MAX;
    }
    if (seconds < MIN / 1_000_000L) {
      return MIN;
    }
    long whole = seconds * 1_000_000L;
    long fraction = t.getNano() / 1000;
    return whole > MAX - fraction ? MAX : whole + fraction;
  }

  /** The instant of {@code micros} epoch microseconds; every long has one. */
  public static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}
