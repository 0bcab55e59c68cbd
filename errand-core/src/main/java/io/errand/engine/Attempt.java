package io.errand.engine;

import io.errand.api.Errand;
import io.errand.api.TaskContext;
import io.errand.api.TaskSnoozedException;
import io.errand.api.TaskStoppedException;
import io.errand.api.TaskStoppedException.StopCause;
import io.errand.spi.TaskRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

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

  static final int RUNNING = 0;
  static final int FINISHING = 1;
  static final int STOPPING = 2;
  static final int DONE = 3;

  final TaskRecord record;
  final QueueRunner runner;
  final long startNanos;
  /** The worker running it (its number stripes the queue's statistics). */
  final QueueRunner.Worker worker;
  private final Instant deadline;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Attempt.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through STATE
  private volatile int state = RUNNING;
  private List<Runnable> onCancel; // guarded by this; allocated on first use
  private volatile Thread thread;
  private volatile StopCause stopCause;
  private volatile String stopReason;
  /** The time-out and cancel-grace timers; armed and cancelled only through this class. */
  private volatile Timers.Handle timeout;
  private volatile Timers.Handle grace;
  /** Set once the worker is past the handler: a timer armed after this is cancelled at once. */
  private volatile boolean timersOff;
  private volatile boolean settled;
  /** Its handler was called: a stop before that does not charge the attempt. */
  private volatile boolean handlerStarted;
  private boolean handlerReturned; // guarded by this
  /** What the handler decided for its task (snooze, cancel) in place of a result; first wins. */
  private HandlerDecision decision; // guarded by this

  Attempt(TaskRecord record, QueueRunner runner, Instant deadline, QueueRunner.Worker worker) {
    this.worker = worker;
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
    if (state != DONE) {
      runner.progress(this, current, total, message);
    }
  }

  @Override
  public void checkpoint() {
    if (state == RUNNING && runner.shutdownStopsHandlers()) {
      stop(StopCause.SHUTDOWN, "Errand is shutting down; the task runs again after restart");
    }
    int s = state;
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
    return runner.shuttingDown();
  }

  @Override
  public void onCancel(Runnable callback) {
    boolean runNow;
    synchronized (this) {
      runNow = stopCause != null;
      if (!runNow) {
        if (onCancel == null) {
          onCancel = new ArrayList<>(2);
        }
        onCancel.add(callback);
      }
    }
    if (runNow) {
      CancelCallbacks.runGuarded(callback);
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
    synchronized (this) {
      if (!STATE.compareAndSet(this, RUNNING, STOPPING)) {
        return false;
      }
      stopReason = reason;
      stopCause = cause;
      callbacks = onCancel == null ? List.of() : List.copyOf(onCancel);
      onCancel = null;
    }
    // Armed outside the lock (a timer is a call out); the compare-and-set above already made
    // this the one stop. If the worker got past the handler meanwhile, it is cancelled here.
    grace = runner.timers().after(runner.spec().cancelGrace(), () -> runner.abandon(this));
    if (timersOff) {
      grace.cancel();
    }
    if (!callbacks.isEmpty()) {
      // On the canceller's thread: the callbacks' lines (and ours) say which task they are about.
      try (TaskMdc mdc = TaskMdc.open(id(), queue(), attempt(), record.info().key())) {
        callbacks.forEach(CancelCallbacks::runGuarded);
      }
    }
    synchronized (this) {
      // Never after handlerReturned(): the worker would carry the interrupt into its next task.
      Thread t = thread;
      if (t != null && !handlerReturned) {
        t.interrupt();
      }
    }
    return true;
  }

  @Override
  public void snooze(Duration delay) {
    java.util.Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.compareTo(Errand.LONGEST_DURATION) > 0) {
      throw new IllegalArgumentException("snooze delay must be from 0 to "
          + Errand.LONGEST_DURATION.toDays() + " days, was " + delay);
    }
    decide(new HandlerDecision.Snooze(delay));
    throw new TaskSnoozedException(delay);
  }

  @Override
  public void cancelSelf(String reason) {
    String why = reason == null ? "cancelled by its handler" : reason;
    decide(new HandlerDecision.CancelSelf(why));
    throw new TaskStoppedException(StopCause.CANCELLED, why);
  }

  private synchronized void decide(HandlerDecision d) {
    if (decision == null) {
      decision = d;
    }
  }

  /** What the handler decided for its task, or null if it decided nothing. */
  synchronized HandlerDecision decision() {
    return decision;
  }

  /**
   * Arms the time-out that stops this attempt at its deadline (a no-op without one). Called by
   * the worker before the handler starts.
   */
  void armTimeout(Timers timers, String reason) {
    if (deadline != null) {
      timeout = timers.schedule(deadline, () -> stop(StopCause.TIMEOUT, reason));
    }
  }

  /**
   * Cancels the time-out and the cancel grace: the worker is past the handler. A grace armed
   * by a stop racing with this call sees {@code timersOff} and cancels itself.
   */
  void cancelTimers() {
    timersOff = true;
    Timers.Handle t = timeout;
    if (t != null) {
      t.cancel();
    }
    Timers.Handle g = grace;
    if (g != null) {
      g.cancel();
    }
  }

  /** Called by the worker just before it calls the handler. */
  void handlerStarting() {
    handlerStarted = true;
  }

  /** Whether the handler was called. */
  boolean handlerStarted() {
    return handlerStarted;
  }

  /**
   * Called by the worker once the handler returned: from now on no stop interrupts its thread,
   * and an interrupt delivered before is cleared here.
   */
  void handlerReturned() {
    synchronized (this) {
      handlerReturned = true;
    }
    Thread.interrupted();
  }

  /** RUNNING → FINISHING: the handler's own result wins. False if a stop came first. */
  boolean beginFinishing() {
    return STATE.compareAndSet(this, RUNNING, FINISHING);
  }

  /** STOPPING → DONE by the worker or the abandon timer: true for the one that decides. */
  boolean claimStopped() {
    return STATE.compareAndSet(this, STOPPING, DONE);
  }

  /** The outcome is recorded. */
  void markDone() {
    settled = true;
    state = DONE;
  }

  boolean isStopping() {
    return state == STOPPING;
  }

  /**
   * Waits (at most {@code millis}) until the outcome of this attempt is recorded. Only a cancel
   * that lost the race to a finishing handler waits here, for one store write, so a short park
   * loop beats allocating a latch for every attempt.
   */
  void awaitSettled(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (!settled && System.nanoTime() < deadline) {
      LockSupport.parkNanos(50_000);
    }
  }
}
