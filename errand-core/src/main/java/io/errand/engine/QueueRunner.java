package io.errand.engine;

import io.errand.api.DurationText;
import io.errand.api.ErrandException;
import io.errand.api.NonRetryableException;
import io.errand.api.QueueSpec;
import io.errand.api.TaskError;
import io.errand.api.TaskHandler;
import io.errand.api.TaskStoppedException;
import io.errand.api.TaskStoppedException.StopCause;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.EndAndNext;
import io.errand.spi.ProgressAnswer;
import io.errand.spi.Outcome;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one queue: each loops claim → run → record. A worker with nothing to do
 * parks ({@link IdleWorkers}) with no timer of its own, until a store signal, the queue's next
 * due task ({@link DueTimer}), a clock change or the engine's stop wakes it. A woken worker
 * claims for itself and for the workers still parked, up to {@link #MAX_CLAIM} at once, and
 * hands them their tasks: never more tasks than idle workers, so every task claimed starts at
 * once and none waits in a local buffer that a crash would strand.
 */
final class QueueRunner {
  private static final Logger log = LoggerFactory.getLogger(QueueRunner.class);
  /** The most tasks one claim takes: the waking worker's and 31 for parked ones. */
  static final int MAX_CLAIM = 32;

  private final Engine engine;
  private final QueueSpec<?, ?> spec;
  @SuppressWarnings("rawtypes")
  private final TaskHandler handler;
  private final TaskStore store;
  final QueueStats stats;
  private final IdleWorkers idle = new IdleWorkers();
  private final DueTimer due;
  private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger workerSeq = new AtomicInteger();

  /** One worker thread, whether it is parked waiting for work, and the attempt it runs. */
  static final class Worker {
    /** Where it stands with the runner's {@link IdleWorkers}. Guarded by its lock. */
    IdleWorkers.Standing standing = IdleWorkers.Standing.AWAY;
    /** The task another worker claimed for it, while HANDED. Guarded by the idle lock. */
    TaskRecord handed;
    final int number;
    /** The attempt this worker runs, or null: how a cancel finds a running task. */
    volatile Attempt current;
    volatile Thread thread;
    /** Its handler was abandoned and a new worker took its place: it exits once that returns. */
    volatile boolean retired;

    Worker(int number) {
      this.number = number;
    }
  }

  QueueRunner(Engine engine, QueueSpec<?, ?> spec, TaskStore store) {
    this.engine = engine;
    this.spec = spec;
    this.handler = spec.handler();
    this.store = store;
    this.stats = new QueueStats(engine.clock().instant().getEpochSecond());
    this.due = new DueTimer(engine.timers(), engine.clock(),
        () -> store.tasks().nextDue(spec.name()), idle::wakeOne);
  }

  QueueSpec<?, ?> spec() {
    return spec;
  }

  Engine engine() {
    return engine;
  }

  void start() {
    for (int i = 0; i < spec.workers(); i++) {
      startWorker();
    }
  }

  private void startWorker() {
    int number = workerSeq.incrementAndGet();
    Worker w = new Worker(number);
    String name = "errand-" + spec.name() + "-" + number;
    Thread.Builder builder = spec.threads() == QueueSpec.Threads.VIRTUAL
        ? Thread.ofVirtual().name(name)
        : Thread.ofPlatform().name(name).daemon();
    workers.add(w);
    w.thread = builder.unstarted(() -> loop(w));
    w.thread.start();
  }

  /** Wakes one idle worker (or the next to go idle): there is new work. */
  void signal() {
    due.changed();
    idle.wakeOne();
  }

  /** Wakes every idle worker: the clock moved or the engine is stopping. */
  void wakeAll() {
    due.changed();
    idle.wakeAll();
  }

  /** How many workers wait in the idle set now (for tests). */
  int idleCount() {
    return idle.size();
  }

  /** The attempt of task {@code id} running on one of this queue's workers, or null. */
  Attempt running(long id) {
    for (Worker w : workers) {
      Attempt a = w.current;
      if (a != null && a.id() == id) {
        return a;
      }
    }
    return null;
  }

  /** Adds the attempts running now to {@code into}. */
  void collectRunning(java.util.Collection<Attempt> into) {
    for (Worker w : workers) {
      Attempt a = w.current;
      if (a != null) {
        into.add(a);
      }
    }
  }

  /**
   * How many workers are alive (claiming, running, or idle), not counting those retired with
   * an abandoned handler: nothing waits for those, they may never return.
   */
  int liveWorkers() {
    int live = 0;
    for (Worker w : workers) {
      if (!w.retired) {
        live++;
      }
    }
    return live;
  }

  private void loop(Worker w) {
    try {
      TaskRecord rec = null; // a task claimed together with the end of the previous one
      boolean looked = false; // whether the last claim for this worker found none: park next
      while (engine.claiming() && !w.retired) {
        if (rec == null) {
          rec = looked ? idleUntilWork(w) : claimForIdle();
          looked = true;
          if (rec == null) {
            continue;
          }
        }
        if (!engine.claiming()) {
          giveBack(rec);
          return;
        }
        Attempt a = run(rec, w);
        if (w.retired) {
          return; // a replacement took this worker's slot while the handler was stuck
        }
        rec = a.next;
        looked = a.nextClaimed;
      }
      if (rec != null) {
        giveBack(rec);
      }
    } catch (RuntimeException | Error e) {
      log.error("worker of queue '{}' failed outside a handler; starting a new one", spec.name(), e);
      if (engine.claiming()) {
        startWorker();
      }
    } finally {
      idle.leave(w); // a worker that failed while idle must not absorb a signal after it is gone
      workers.remove(w);
      engine.workerExited();
    }
  }

  /**
   * Puts back a task claimed as the engine stopped claiming, its attempt not charged: it never
   * started. A durable store keeps it for the next start; the memory store's shutdown cancels
   * it with the other tasks that never started.
   */
  private void giveBack(TaskRecord rec) {
    if (store.tasks().reschedule(rec.id(), rec.info().attempt(), null, engine.clock().instant())
        instanceof Change.Changed(TaskRecord after) && after.info().status().isTerminal()) {
      engine.onFinished(after); // a cancel reached it since its claim: it ended here
    }
  }

  /**
   * Claims for this worker and for up to {@link #MAX_CLAIM} − 1 parked ones in one store call,
   * hands the others their tasks, and answers this worker's (null if none was due). The parked
   * workers are reserved before the claim, so no task is claimed without a worker to start it.
   * A full claim may have left more: the next idle worker is woken to look. One that found
   * fewer arms the queue's due timer for the delayed tasks.
   */
  private TaskRecord claimForIdle() {
    List<Worker> helpers = idle.reserve(MAX_CLAIM - 1);
    int want = helpers.size() + 1;
    List<TaskRecord> got = List.of();
    try {
      got = store.tasks().claim(spec.name(), engine.node(), engine.clock().instant(), want);
    } finally {
      int handed = Math.max(0, got.size() - 1);
      for (int i = 0; i < handed; i++) {
        idle.hand(helpers.get(i), got.get(i + 1));
      }
      idle.putBack(helpers.subList(handed, helpers.size()));
      if (!engine.claiming()) {
        idle.wakeAll(); // those put back must see the stop
      }
    }
    if (got.size() == want && want > 1) {
      idle.wakeOne(); // every parked worker got a task: one more may be due
    } else if (got.isEmpty()) {
      due.arm();
    } else {
      due.armSoon(); // the task claimed here starts now, not after the store's answer
    }
    return got.isEmpty() ? null : got.get(0);
  }

  private static TaskRecord claimed(Claim claim) {
    return claim instanceof Claim.Claimed(TaskRecord rec) ? rec : null;
  }

  /**
   * Called after a claim for this worker found nothing: parks until a signal (then claims for
   * itself and the parked workers), a task handed by another worker, or the engine's stop. A
   * signal that came since that claim, while no worker was parked, makes it claim at once
   * instead ({@link IdleWorkers#announce}): no wake-up is lost, and no claim is repeated.
   */
  private TaskRecord idleUntilWork(Worker w) {
    if (idle.announce(w)) {
      TaskRecord handed = idle.await(w, engine::claiming);
      if (handed != null || !engine.claiming()) {
        return handed;
      }
    }
    return claimForIdle();
  }

  /** Runs one claimed task with its MDC set, from the handler's start to its end's record. */
  private Attempt run(TaskRecord rec, Worker worker) {
    try (TaskMdc mdc = TaskMdc.open(rec.id(), spec.name(), rec.info().attempt(),
        rec.info().key())) {
      return runAttempt(rec, worker);
    }
  }

  @SuppressWarnings("unchecked")
  private Attempt runAttempt(TaskRecord rec, Worker worker) {
    Instant now = engine.clock().instant();
    Duration timeout = spec.timeout();
    // From the start the store recorded (the task's startedAt), not from now: the clock may
    // have moved since the claim, and the deadline must be the one a reader of the task expects.
    Instant started = rec.info().startedAt() == null ? now : rec.info().startedAt();
    Instant deadline = timeout == null ? null : started.plus(timeout);
    Attempt a = new Attempt(rec, this, deadline, worker);
    a.bindThread(Thread.currentThread());
    stats.running.incrementAndGet();
    stats.waitTime.record(nanosBetween(rec.info().runAt(), now), worker.number);
    worker.current = a; // published before the pending-cancel check in registerAttempt
    engine.registerAttempt(a);
    // Published first, checked second: a shutdown that began after the loop's check either
    // finds this attempt among the running ones or is seen here.
    if (!engine.claiming()) {
      a.stop(StopCause.SHUTDOWN, "Errand shut down before the task started");
    }
    Object result = null;
    Throwable failure = null;
    if (!a.isStopping()) { // a cancel or the shutdown came before the start: the handler is spared
      engine.taskEvents().started(rec.info());
      if (deadline != null) {
        a.timeout = engine.timers().schedule(deadline,
            () -> a.stop(StopCause.TIMEOUT, "timed out after " + DurationText.format(timeout)));
      }
      a.handlerStarting();
      try {
        result = handler.run(a);
      } catch (Throwable t) {
        failure = t;
      }
    }
    a.handlerReturned(); // a cancel's interrupt must not leak into the next claim
    Timers.Handle t = a.timeout;
    if (t != null) {
      t.cancel();
    }
    settle(a, result, failure);
    return a;
  }

  /** Records how the attempt ended, unless the abandon timer already did. */
  private void settle(Attempt a, Object result, Throwable failure) {
    long ranNanos = System.nanoTime() - a.startNanos;
    if (a.beginFinishing()) {
      Instant now = engine.clock().instant();
      HandlerDecision decision = a.decision();
      if (decision != null) {
        decided(a, decision, now, ranNanos);
      } else if (failure == null) {
        endAndClaim(a, new Outcome.Succeeded(result), now, ranNanos);
      } else {
        if (!(failure instanceof Exception)) {
          log.error("handler of queue '{}' threw an Error on task {}", spec.name(), a.id(), failure);
        }
        TaskError error = engine.errorOf(a.attempt(), failure, now);
        boolean retryable = !(failure instanceof NonRetryableException)
            && !(failure instanceof TaskStoppedException);
        failOrRetry(a, error, retryable, now, ranNanos);
      }
    } else if (a.claimStopped()) {
      Timers.Handle g = a.grace;
      if (g != null) {
        g.cancel();
      }
      endStopped(a, engine.clock().instant(), ranNanos, null);
    } else {
      log.debug("task {} attempt {} returned after it was abandoned; its result is discarded",
          a.id(), a.attempt());
    }
  }

  /**
   * Applies what the handler decided through its context, whatever it returned or threw after:
   * a snooze puts the task back to WAITING until its delay has passed, the attempt not charged
   * (as a requeue at shutdown); a cancel of itself ends it CANCELLED with no retry.
   */
  private void decided(Attempt a, HandlerDecision decision, Instant now, long ranNanos) {
    switch (decision) {
      case HandlerDecision.CancelSelf c -> end(a, new Outcome.Cancelled(c.reason(), null, true),
          now, ranNanos);
      case HandlerDecision.Snooze s -> {
        TaskRecord after = changed(store.tasks().reschedule(a.id(), a.attempt(), null,
            now.plus(s.delay())));
        finishAttempt(a, ranNanos);
        if (after != null && after.info().status().isTerminal()) {
          engine.onFinished(after); // a cancel arrived while it ended
        } else if (after != null) {
          engine.taskEvents().snoozed(after.info(), a.attempt(),
              "snoozed for " + DurationText.format(s.delay()));
        }
      }
    }
  }

  /** The cancel grace ran out: record the stop now and give the slot to a new worker. */
  void abandon(Attempt a) {
    if (!a.claimStopped()) {
      return;
    }
    stats.abandoned.increment();
    engine.countAbandoned();
    long ranNanos = System.nanoTime() - a.startNanos;
    String why = "did not stop within " + DurationText.format(spec.cancelGrace());
    engine.failureLog().taskAbandoned(a.id(), spec.name(), a.attempt(), a.record.info().key(),
        why, a.stopReason());
    a.worker.retired = true;
    endStopped(a, engine.clock().instant(), ranNanos, why);
    if (engine.claiming()) {
      startWorker();
    }
  }

  private void endStopped(Attempt a, Instant now, long ranNanos, String abandonedWhy) {
    String reason = abandonedWhy == null ? a.stopReason() : a.stopReason() + " (" + abandonedWhy + ")";
    // Stopped before its handler began: the attempt is not charged (docs/concurrency.md), and
    // no error is kept for it, as no handler was abandoned.
    boolean started = a.handlerStarted();
    TaskError abandonError = abandonedWhy == null || !started ? null
        : new TaskError(a.attempt(), "abandoned", reason, now);
    Outcome cancelled = new Outcome.Cancelled(reason, abandonError, started);
    switch (a.stopCause()) {
      case CANCELLED -> end(a, cancelled, now, ranNanos);
      case TIMEOUT -> failOrRetry(a, new TaskError(a.attempt(), "timeout", reason, now), true,
          now, ranNanos);
      case SHUTDOWN -> {
        if (store.durable()) {
          TaskRecord after = changed(store.tasks().reschedule(a.id(), a.attempt(), null, now));
          // A cancel that arrived while it stopped wins over the requeue: the task ended here.
          boolean ended = after != null && after.info().status().isTerminal();
          if (after != null && !ended) {
            engine.countRequeued();
          }
          finishAttempt(a, ranNanos);
          if (ended) {
            engine.onFinished(after);
          }
        } else {
          end(a, cancelled, now, ranNanos);
        }
      }
    }
  }

  private void failOrRetry(Attempt a, TaskError error, boolean retryable, Instant now,
      long ranNanos) {
    if (retryable && a.attempt() < spec.attempts()) {
      Instant runAt = now.plus(spec.backoff().delayBefore(a.attempt() + 1));
      TaskRecord after = changed(store.tasks().reschedule(a.id(), a.attempt(), error, runAt));
      finishAttempt(a, ranNanos);
      if (after != null) {
        if (after.info().status().isTerminal()) {
          engine.onFinished(after); // a cancel arrived while it ended
        } else {
          stats.retried.increment();
          engine.taskEvents().retrying(after.info(), error.message());
        }
      }
    } else {
      end(a, new Outcome.Failed(error), now, ranNanos);
    }
  }

  private void end(Attempt a, Outcome outcome, Instant now, long ranNanos) {
    recordEnd(a, changed(StoreOutage.retried(
        () -> store.tasks().finish(a.id(), a.attempt(), outcome, now),
        () -> store.durable() && engine.claiming(), "the end of task " + a.id())), ranNanos);
  }

  /**
   * Ends the attempt on its worker's thread and, while the engine claims, takes the worker's
   * next task in the same store call ({@link Attempt#next}).
   */
  private void endAndClaim(Attempt a, Outcome outcome, Instant now, long ranNanos) {
    if (!engine.claiming() || a.worker.retired) {
      end(a, outcome, now, ranNanos);
      return;
    }
    EndAndNext both;
    try {
      both = store.tasks().finishAndClaim(a.id(), a.attempt(), outcome, now, spec.name(),
          engine.node());
    } catch (ErrandException e) {
      if (!"store_failed".equals(e.code()) || !store.durable()) {
        throw e;
      }
      end(a, outcome, now, ranNanos); // through the outage, claiming nothing meanwhile
      return;
    }
    a.next = claimed(both.next());
    a.nextClaimed = true;
    if (a.next == null) {
      due.arm(); // the queue ran dry: its delayed tasks need the timer
    }
    recordEnd(a, changed(both.ended()), ranNanos);
  }

  /** The task after a fenced change, or null if the attempt was fenced out. */
  private static TaskRecord changed(Change change) {
    return change instanceof Change.Changed(TaskRecord after) ? after : null;
  }

  /** The attempt is over; {@code after} is the task as it ended, or null if fenced out. */
  private void recordEnd(Attempt a, TaskRecord after, long ranNanos) {
    finishAttempt(a, ranNanos);
    if (after != null) {
      engine.onFinished(after);
    }
  }

  private void finishAttempt(Attempt a, long ranNanos) {
    stats.runTime.record(ranNanos, a.worker.number);
    stats.running.decrementAndGet();
    if (a.worker.current == a) {
      a.worker.current = null;
    }
    engine.unregisterAttempt(a);
    a.markDone();
  }

  void progress(Attempt a, long current, long total, String message) {
    if (store.tasks().progress(a.id(), a.attempt(), current, total, message)
        == ProgressAnswer.RECORDED) {
      engine.taskEvents().progress(a, current, total, message);
    }
  }

  /** {@code to - from} in nanoseconds, at least 0, without allocating a Duration. */
  static long nanosBetween(Instant from, Instant to) {
    long nanos = (to.getEpochSecond() - from.getEpochSecond()) * 1_000_000_000L
        + (to.getNano() - from.getNano());
    return Math.max(0, nanos);
  }
}
