package io.errand.engine;

import io.errand.api.TaskContext;
import io.errand.api.TaskStoppedException;
import io.errand.api.TaskStoppedException.StopCause;
import io.errand.spi.TaskRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a task's handler, and the {@link TaskContext} the handler sees.
 *
 * <p>Its life is a small state machine moved by compare-and-set, so that exactly one of the
 * racing parties decides how the attempt ends:
 *
 * <pre>
 *   RUNNING ──handler returned──▶ FINISHING ──recorded──▶ DONE
 *      │
 *      └──stop (cancel, time-out, shutdown)──▶ STOPPING ──handler returned──▶ DONE
 *                                                  └──grace ran out (abandon)──▶ DONE
 * </pre>
 *
 * Whoever moves STOPPING to DONE records the outcome; the other one's result is discarded.
 */
final class Attempt implements TaskContext<Object> {
  private static final Logger log = LoggerFactory.getLogger(Attempt.class);

  static final int RUNNING = 0;
  static final int FINISHING = 1;
  static final int STOPPING = 2;
  static final int DONE = 3;

  final TaskRecord record;
  final QueueRunner runner;
  final long startNanos;
  private final Instant deadline;
  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private final CountDownLatch settled = new CountDownLatch(1);
  private final List<Runnable> onCancel = new ArrayList<>(0);
  private volatile Thread thread;
  private volatile StopCause stopCause;
  private volatile String stopReason;
  volatile Timers.Handle timeout;
  volatile Timers.Handle grace;
  /** Set when the handler was abandoned: its worker thread must exit once it returns. */
  volatile boolean abandonedWorker;

  Attempt(TaskRecord record, QueueRunner runner, Instant deadline) {
    this.record = record;
    this.runner = runner;
    this.deadline = deadline;
    this.startNanos = System.nanoTime();
  }

  void bindThread(Thread t) {
    this.thread = t;
  }

  @Override
  public long id() {
    return record.id();
  }

  @Override
  public String queue() {
    return record.info().queue();
  }

  @Override
  public Object args() {
    return record.info().args();
  }

  @Override
  public int attempt() {
    return record.info().attempt();
  }

  @Override
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  @Override
  public void progress(long current, long total, String message) {
    if (current < 0 || total < 0) {
      throw new IllegalArgumentException(
          "progress must not be negative: current=" + current + ", total=" + total);
    }
    if (state.get() != DONE) {
      runner.progress(this, current, total, message);
    }
  }

  @Override
  public void checkpoint() {
    if (state.get() == RUNNING && runner.engine().shutdownStopsHandlers()) {
      stop(StopCause.SHUTDOWN, "Errand is shutting down; the task runs again after restart");
    }
    int s = state.get();
    if (s == STOPPING || (s == DONE && stopCause != null)) {
      throw new TaskStoppedException(stopCause, stopReason);
    }
  }

  @Override
  public boolean isCancelled() {
    StopCause c = stopCause;
    return c == StopCause.CANCELLED || c == StopCause.TIMEOUT;
  }

  @Override
  public boolean shuttingDown() {
    return runner.engine().isShuttingDown();
  }

  @Override
  public void onCancel(Runnable callback) {
    boolean runNow;
    synchronized (onCancel) {
      runNow = stopCause != null;
      if (!runNow) {
        onCancel.add(callback);
      }
    }
    if (runNow) {
      runGuarded(callback);
    }
  }

  @Override
  public Optional<Object> previousResult() {
    return Optional.ofNullable(record.previousResult());
  }

  StopCause stopCause() {
    return stopCause;
  }

  String stopReason() {
    return stopReason;
  }

  /**
   * Asks the attempt to stop: runs the onCancel callbacks, interrupts the handler's thread and
   * starts the cancel grace. Returns false (doing nothing) unless the attempt was RUNNING.
   */
  boolean stop(StopCause cause, String reason) {
    List<Runnable> callbacks;
    synchronized (onCancel) {
      if (!state.compareAndSet(RUNNING, STOPPING)) {
        return false;
      }
      stopReason = reason;
      stopCause = cause;
      callbacks = List.copyOf(onCancel);
      onCancel.clear();
    }
    callbacks.forEach(Attempt::runGuarded);
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
    grace = runner.engine().timers().after(runner.spec().cancelGrace(), () -> runner.abandon(this));
    return true;
  }

  /** RUNNING → FINISHING: the handler's own result wins. False if a stop came first. */
  boolean beginFinishing() {
    return state.compareAndSet(RUNNING, FINISHING);
  }

  /** STOPPING → DONE by the worker or the abandon timer: true for the one that decides. */
  boolean claimStopped() {
    return state.compareAndSet(STOPPING, DONE);
  }

  void markDone() {
    state.set(DONE);
    settled.countDown();
  }

  boolean isStopping() {
    return state.get() == STOPPING;
  }

  /** Waits (bounded) until the outcome of this attempt is recorded. */
  void awaitSettled(long millis) {
    try {
      settled.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void runGuarded(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      log.warn("an onCancel callback threw; the cancel goes on", e);
    }
  }
}
