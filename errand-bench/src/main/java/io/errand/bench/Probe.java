package io.errand.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * When one task's handler started and stopped, in {@link System#nanoTime()} (0 = not yet).
 * Written by the task's thread, read by the benchmark thread, which spins on it inside the
 * measured time: spinning adds well under a microsecond to a measured latency, where parking
 * would add a thread wake-up.
 */
public final class Probe {
  private static final long TIMEOUT_NANOS = 10_000_000_000L;

  private volatile long startedAt;
  private volatile long stoppedAt;

  /** Called first thing in the handler. */
  public void started() {
    startedAt = System.nanoTime();
  }

  /** Called in the handler's finally block. */
  public void stopped() {
    stoppedAt = System.nanoTime();
  }

  /** Spins until the handler started; returns when it did. */
  public long awaitStarted() {
    long t;
    long giveUp = System.nanoTime() + TIMEOUT_NANOS;
    while ((t = startedAt) == 0) {
      spin(giveUp, "start");
    }
    return t;
  }

  /**
   * Waits until the handler started, parking between looks so that the waiting thread leaves
   * the CPU to the task: for waits outside the measured time.
   */
  public void awaitStartedQuietly() {
    long giveUp = System.nanoTime() + TIMEOUT_NANOS;
    while (startedAt == 0) {
      LockSupport.parkNanos(20_000);
      if (System.nanoTime() > giveUp) {
        throw new IllegalStateException("the task did not start within 10 s; the subject under "
            + "test is stuck, so this result would be meaningless");
      }
    }
  }

  /** Spins until the handler stopped; returns when it did. */
  public long awaitStopped() {
    long t;
    long giveUp = System.nanoTime() + TIMEOUT_NANOS;
    while ((t = stoppedAt) == 0) {
      spin(giveUp, "stop");
    }
    return t;
  }

  private static void spin(long giveUp, String what) {
    Thread.onSpinWait();
    if (System.nanoTime() > giveUp) {
      throw new IllegalStateException("the task did not " + what + " within 10 s; the subject "
          + "under test is stuck, so this result would be meaningless");
    }
  }
}
