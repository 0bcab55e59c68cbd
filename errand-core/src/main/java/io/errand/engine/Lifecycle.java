package io.errand.engine;

import io.errand.api.ShutdownReport;
import io.errand.api.ShuttingDownException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The engine's run state (running → draining → stopped), the submits in flight, and a
 * condition the shutdown waits on, signalled whenever an attempt or a submit ends.
 */
final class Lifecycle {
  enum State { RUNNING, DRAINING, STOPPED }

  private volatile State state = State.RUNNING;
  /** Whether the workers were started ({@link Engine#start()}); built unstarted, not yet. */
  private volatile boolean started;
  private final AtomicInteger submitsInFlight = new AtomicInteger();
  private final AtomicReference<CompletableFuture<ShutdownReport>> report = new AtomicReference<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  final LongAdder abandoned = new LongAdder();
  final LongAdder requeued = new LongAdder();

  /** Marks it started; answers false if it already was. */
  synchronized boolean markStarted() {
    if (started) {
      return false;
    }
    started = true;
    return true;
  }

  boolean started() {
    return started;
  }

  boolean claiming() {
    return state == State.RUNNING;
  }

  boolean shuttingDown() {
    return state != State.RUNNING;
  }

  /**
   * Admits a submit to {@code queue} (null for a batch or chain), or refuses it once shutdown
   * began. Pair with {@link #exitSubmit()}.
   */
  void enterSubmit(String queue) {
    submitsInFlight.incrementAndGet();
    if (state != State.RUNNING) {
      exitSubmit();
      throw new ShuttingDownException(queue == null ? "submit of a batch or chain"
          : "submit to queue '" + queue + "'");
    }
  }

  void exitSubmit() {
    if (submitsInFlight.decrementAndGet() == 0 && state != State.RUNNING) {
      signal();
    }
  }

  int submitsInFlight() {
    return submitsInFlight.get();
  }

  void attemptEnded() {
    if (state != State.RUNNING) {
      signal();
    }
  }

  /** Moves RUNNING to DRAINING; a later state stays (a stop-accepting after the stop). */
  synchronized void beginDraining() {
    if (state == State.RUNNING) {
      state = State.DRAINING;
    }
  }

  synchronized void stopped() {
    state = State.STOPPED;
  }

  /** Runs {@code sequence} once; every caller gets its report. */
  ShutdownReport shutdown(Supplier<ShutdownReport> sequence) {
    CompletableFuture<ShutdownReport> mine = new CompletableFuture<>();
    if (!report.compareAndSet(null, mine)) {
      return report.get().join();
    }
    try {
      mine.complete(sequence.get());
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    }
    return mine.join();
  }

  /** Waits until {@code done} holds or {@code nanos} pass; true if it holds. */
  boolean awaitUntil(BooleanSupplier done, long nanos) {
    long deadline = System.nanoTime() + nanos;
    lock.lock();
    try {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        // Bounded slices: some changes (a worker thread exiting) do not signal.
        changed.awaitNanos(Math.min(left, 20_000_000L));
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return done.getAsBoolean();
    } finally {
      lock.unlock();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
