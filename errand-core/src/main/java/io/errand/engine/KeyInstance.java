package io.errand.engine;

import io.errand.api.KeyContext;
import io.errand.api.TaskStoppedException;
import io.errand.api.TaskStoppedException.StopCause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a supervised key's handler, on its own thread, and the {@link KeyContext} it sees.
 * A stop is requested in stages by {@link SupervisorRunner}: {@link #requestStop} (cooperative),
 * then {@link #interrupt} (twice at most).
 */
final class KeyInstance implements KeyContext<Object> {

  final KeySlot slot;
  final long id;
  final int attempt;
  private final SupervisorRunner runner;
  private final Object args;
  private final CountDownLatch ended = new CountDownLatch(1);
  final AtomicBoolean endHandled = new AtomicBoolean();
  private List<Runnable> onCancel; // guarded by this
  private Thread thread; // guarded by this
  private boolean handlerReturned; // guarded by this
  private volatile String stopReason;
  private volatile String crashReason;
  volatile Instant lastHeartbeat;

  KeyInstance(SupervisorRunner runner, KeySlot slot, long id, Object args, int attempt,
      Instant now) {
    this.runner = runner;
    this.slot = slot;
    this.id = id;
    this.args = args;
    this.attempt = attempt;
    this.lastHeartbeat = now;
  }

  void start(Thread.Builder threads) {
    Thread t = threads.unstarted(this::run);
    synchronized (this) {
      thread = t;
    }
    t.start();
  }

  @SuppressWarnings("unchecked") // the handler takes the args type the spec was built with
  private void run() {
    try (TaskMdc mdc = TaskMdc.open(id, runner.name(), attempt, slot.key)) {
      Throwable failure = null;
      try {
        runner.handler().run(this);
      } catch (Throwable t) {
        failure = t;
      }
      synchronized (this) {
        handlerReturned = true;
      }
      Thread.interrupted();
      ended.countDown(); // before taking the key's lock: a stopper holding it waits for this
      runner.instanceEnded(this, failure);
    }
  }

  /** Waits up to {@code d} (real time) for the handler to return; true if it did. */
  boolean awaitEnd(Duration d) {
    try {
      return ended.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ended.getCount() == 0;
    }
  }

  boolean hasEnded() {
    return ended.getCount() == 0;
  }

  /** The cooperative stage: checkpoint throws from now on, and the onCancel callbacks run. */
  void requestStop(String reason) {
    List<Runnable> callbacks;
    synchronized (this) {
      if (stopReason != null) {
        return;
      }
      stopReason = reason;
      callbacks = onCancel == null ? List.of() : List.copyOf(onCancel);
      onCancel = null;
    }
    if (callbacks.isEmpty()) {
      return;
    }
    // On the stopper's thread: the callbacks' lines (and ours) say which key they are about.
    try (TaskMdc mdc = TaskMdc.open(id, runner.name(), attempt, slot.key)) {
      callbacks.forEach(CancelCallbacks::runGuarded);
    }
  }

  /** The forced stage: interrupts the handler's thread, unless it already returned. */
  synchronized void interrupt() {
    if (thread != null && !handlerReturned) {
      thread.interrupt();
    }
  }

  boolean stopRequested() {
    return stopReason != null;
  }

  /** Marks the instance unhealthy; true for the first report. */
  boolean markUnhealthy(String reason) {
    synchronized (this) {
      if (crashReason != null) {
        return false;
      }
      crashReason = reason;
      return true;
    }
  }

  String crashReason() {
    return crashReason;
  }

  @Override
  public String key() {
    return slot.key;
  }

  @Override
  public void heartbeat() {
    lastHeartbeat = runner.clock().instant();
  }

  @Override
  public void unhealthy(String reason) {
    runner.unhealthy(this, reason == null || reason.isBlank() ? "reported unhealthy" : reason);
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public String queue() {
    return runner.name();
  }

  @Override
  public Object args() {
    return args;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Optional<Instant> deadline() {
    return Optional.empty();
  }

  @Override
  public void progress(long current, long total, String message) {
    if (current < 0 || total < 0) {
      throw new IllegalArgumentException(
          "progress must not be negative: current=" + current + ", total=" + total);
    }
    if (!hasEnded() && slot.current == this) {
      slot.message = message;
    }
  }

  @Override
  public void checkpoint() {
    String reason = stopReason != null ? stopReason : crashReason;
    if (reason != null) {
      throw new TaskStoppedException(runner.shuttingDown() ? StopCause.SHUTDOWN
          : StopCause.CANCELLED, reason);
    }
  }

  @Override
  public boolean isCancelled() {
    return stopReason != null || crashReason != null;
  }

  @Override
  public boolean shuttingDown() {
    return runner.shuttingDown();
  }

  @Override
  public void onCancel(Runnable callback) {
    synchronized (this) {
      if (stopReason == null) {
        if (onCancel == null) {
          onCancel = new ArrayList<>(2);
        }
        onCancel.add(callback);
        return;
      }
    }
    CancelCallbacks.runGuarded(callback); // registered after the stop: runs now, under the same rule
  }

  @Override
  public Optional<Object> previousResult() {
    return Optional.empty();
  }
}
