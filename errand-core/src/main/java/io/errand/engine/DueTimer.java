package io.errand.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one timer of a queue's next delayed task: when it comes, one idle worker is woken to
 * claim. Parked workers have no timers of their own, so an idle queue costs no store calls.
 *
 * <p>The next due time is read from the store only when something may have changed it since
 * the last read: every new or rescheduled task of the queue comes with a signal
 * ({@link #changed}), so with no signal since, the time armed is still the earliest.
 */
final class DueTimer {
  /** How soon to look again at a task due already that a claim did not get (another took it). */
  private static final Duration RETRY = Duration.ofMillis(50);
  private static final Logger log = LoggerFactory.getLogger(DueTimer.class);

  private final Timers timers;
  private final InstantSource clock;
  private final Supplier<Optional<Instant>> nextDue;
  private final Runnable wake;
  private final AtomicLong changes = new AtomicLong();
  private long readAt = -1; // guarded by this
  private Instant at; // guarded by this
  private Timers.Handle handle; // guarded by this

  DueTimer(Timers timers, InstantSource clock, Supplier<Optional<Instant>> nextDue,
      Runnable wake) {
    this.timers = timers;
    this.clock = clock;
    this.nextDue = nextDue;
    this.wake = wake;
  }

  /** The queue's tasks may have changed (a signal): the next {@link #arm} reads again. */
  void changed() {
    changes.incrementAndGet();
  }

  /**
   * A claim found the queue without due work: reads the next due time (unless nothing changed
   * since the last read) and arms the timer for it, if it is earlier than the one armed.
   */
  void arm() {
    long seen = changes.get();
    synchronized (this) {
      if (seen == readAt) {
        return;
      }
      readAt = seen;
    }
    Optional<Instant> next;
    try {
      next = nextDue.get(); // a store call: outside the lock
    } catch (RuntimeException e) {
      synchronized (this) {
        readAt = -1; // not read: the next arm tries again
      }
      throw e;
    }
    if (next.isEmpty()) {
      return;
    }
    Instant soonest = clock.instant().plus(RETRY);
    Instant when = next.get().isBefore(soonest) ? soonest : next.get();
    Timers.Handle old;
    synchronized (this) {
      if (at != null && !when.isBefore(at)) {
        return;
      }
      old = handle;
      at = when;
      handle = timers.schedule(when, () -> reached(when));
    }
    if (old != null) {
      old.cancel();
    }
  }

  /**
   * As {@link #arm}, on a virtual thread of its own when a read is due: for a worker that has
   * a task to start and must not make it wait for the store's answer.
   */
  void armSoon() {
    long seen = changes.get();
    synchronized (this) {
      if (seen == readAt) {
        return;
      }
    }
    Thread.ofVirtual().name("errand-due-timer").start(() -> {
      try {
        arm();
      } catch (RuntimeException e) {
        log.warn("could not read the next due time of a queue; the next idle worker tries "
            + "again: {}", e.getMessage());
      }
    });
  }

  private void reached(Instant when) {
    synchronized (this) {
      if (!when.equals(at)) {
        return; // replaced by an earlier one meanwhile
      }
      at = null;
      handle = null;
    }
    changes.incrementAndGet();
    wake.run();
  }
}
