package io.errand.api;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when told, for tests: give it to {@link Errand.Builder#clock} and
 * retries, backoffs, delays, time-outs and retention happen when {@link #advance} passes their
 * time, without sleeping. Thread-safe.
 */
public final class ManualClock implements InstantSource {
  private volatile Instant now;
  private final List<Runnable> onChange = new CopyOnWriteArrayList<>();

  /** A clock standing at {@code start}. */
  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  @Override
  public Instant instant() {
    return now;
  }

  /**
   * Moves the clock forward by {@code amount} and wakes whatever waits on it.
   *
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  public void advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a clock cannot go back: amount was " + amount);
    }
    synchronized (this) {
      now = now.plus(amount);
    }
    onChange.forEach(Runnable::run);
  }

  /**
   * Runs {@code listener} after every {@link #advance}; Errand uses it to re-check its timers.
   * Returns a handle that removes it.
   */
  public AutoCloseable onAdvance(Runnable listener) {
    onChange.add(listener);
    return () -> onChange.remove(listener);
  }
}
