package io.errand.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs actions when the engine's clock reaches their time: time-outs, cancel graces, retention
 * sweeps. One platform thread; actions must be short (they hand real work to others).
 *
 * <p>Time is read from the injected clock, never from {@code System.nanoTime}, so a
 * {@code ManualClock} drives every timer; {@link #wake()} makes the thread re-read the clock
 * after it moved. Cancelling a timer removes it at once (O(log n)), so the pending set holds
 * only live timers even when most time-outs never fire.
 */
final class Timers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Timers.class);
  private static final long MAX_PARK_NANOS = Duration.ofMillis(250).toNanos();

  private final InstantSource clock;
  private final ConcurrentSkipListMap<Key, Runnable> pending = new ConcurrentSkipListMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private volatile boolean closed;

  /** A cancellable timer. */
  interface Handle {
    /** Cancels the timer; harmless after it ran. */
    void cancel();
  }

  private record Key(Instant due, long seq) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  Timers(InstantSource clock) {
    this.clock = clock;
    this.thread = Thread.ofPlatform().daemon().name("errand-timers").unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Runs {@code action} once the clock reaches {@code due}. */
  Handle schedule(Instant due, Runnable action) {
    Key key = new Key(due, sequence.incrementAndGet());
    pending.put(key, action);
    // firstEntry, not firstKey: the timer thread may already have run and removed this very
    // timer (a due time already reached), leaving the map empty; then there is nothing to wake.
    Map.Entry<Key, Runnable> first = pending.firstEntry();
    if (first != null && first.getKey() == key) {
      wake();
    }
    return () -> pending.remove(key);
  }

  /** Runs {@code action} after {@code delay} of clock time. */
  Handle after(Duration delay, Runnable action) {
    return schedule(clock.instant().plus(delay), action);
  }

  /** Makes the timer thread look at the clock again (after a manual clock moved). */
  void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How long to park from {@code now} until {@code due}, at most {@code max} nanoseconds and
   * never negative. Saturates: a due time centuries away (a task to run in the year 9999) is
   * more nanoseconds than a long holds.
   */
  static long parkNanos(Instant now, Instant due, long max) {
    if (!due.isAfter(now)) {
      return 0;
    }
    return due.isBefore(now.plusNanos(max)) ? Duration.between(now, due).toNanos() : max;
  }

  private void loop() {
    while (!closed) {
      Map.Entry<Key, Runnable> first = pending.firstEntry();
      Instant now = clock.instant();
      if (first != null && !first.getKey().due().isAfter(now)) {
        if (pending.remove(first.getKey()) != null) {
          runGuarded(first.getValue());
        }
        continue;
      }
      long park = first == null ? MAX_PARK_NANOS
          : parkNanos(now, first.getKey().due(), MAX_PARK_NANOS);
      lock.lock();
      try {
        if (!closed && java.util.Objects.equals(firstKey(), first == null ? null : first.getKey())) {
          changed.awaitNanos(park);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  private Key firstKey() {
    Map.Entry<Key, Runnable> e = pending.firstEntry();
    return e == null ? null : e.getKey();
  }

  private static void runGuarded(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException | Error e) {
      log.error("an Errand timer action failed; the engine goes on", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    wake();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pending.clear();
  }
}
