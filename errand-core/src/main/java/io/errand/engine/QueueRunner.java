package io.errand.engine;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one queue: each loops claim → run → record. A worker with nothing to do
 * parks until a store signal, its next due task, or a clock change wakes it.
 */
final class QueueRunner {
  private static final Logger log = LoggerFactory.getLogger(QueueRunner.class);
  private static final long IDLE_PARK_NANOS = Duration.ofSeconds(1).toNanos();

  private final Engine engine;
  private final QueueSpec<?, ?> spec;
  @SuppressWarnings("rawtypes")
  private final TaskHandler handler;
  private final TaskStore store;
  final QueueStats stats;
  private final IdleWorkers idle = new IdleWorkers();
  private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger workerSeq = new AtomicInteger();

  /** One worker thread, whether it is parked waiting for work, and the attempt it runs. */
  static final class Worker {
    /** In the runner's {@link IdleWorkers}: a signal may choose it. Guarded by its lock. */
    boolean announced;
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

  /** Wakes one idle worker, if any: there is new work. */
  void signal() {
    idle.wakeOne();
  }

  /** Wakes every idle worker: the clock moved or the engine is stopping. */
  void wakeAll() {
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
      while (engine.claiming() && !w.retired) {
        if (rec == null) {
          rec = claimNext();
        }
        if (rec == null) {
          rec = idleUntilWork(w);
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

  /** The task this node claims next from the queue, or null when none is due. */
  private TaskRecord claimNext() {
    return claimed(store.tasks().claim(spec.name(), engine.node(), engine.clock().instant()));
  }

  private static TaskRecord claimed(Claim claim) {
    return claim instanceof Claim.Claimed(TaskRecord rec) ? rec : null;
  }

  /**
   * Parks until woken or its next due task. It announces itself idle, then re-checks for work,
   * then parks: a signal sent after the work became visible either finds it announced (and
   * unparks it) or comes before the announcement (and the re-check sees the work), so no
   * wake-up is lost. It always leaves the idle set before it returns: the set holds each worker
   * at most once, and never one that is running a task.
   */
  private TaskRecord idleUntilWork(Worker w) {
    idle.announce(w);
    TaskRecord rec = claimNext();
    if (rec != null) {
      if (!idle.leave(w)) {
        signal(); // a signal chose this worker while it found work itself: pass it on
      }
      return rec;
    }
    long park = IDLE_PARK_NANOS;
    Instant next = store.tasks().nextDue(spec.name()).orElse(null);
    if (next != null) {
      park = Math.max(1_000, Timers.parkNanos(engine.clock().instant(), next, park));
    }
    if (engine.claiming()) {
      LockSupport.parkNanos(this, park); // a signal's unpark that came first returns at once
    }
    idle.leave(w);
    return null;
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
            () -> a.stop(StopCause.TIMEOUT, "timed out after " + human(timeout)));
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
      if (failure == null) {
        endAndClaim(a, new Outcome.Succeeded(result), now, ranNanos);
      } else {
        if (!(failure instanceof Exception)) {
          log.error("handler of queue '{}' threw an Error on task {}", spec.name(), a.id(), failure);
        }
        TaskError error = TaskError.of(a.attempt(), failure, now);
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

  /** The cancel grace ran out: record the stop now and give the slot to a new worker. */
  void abandon(Attempt a) {
    if (!a.claimStopped()) {
      return;
    }
    stats.abandoned.increment();
    engine.countAbandoned();
    long ranNanos = System.nanoTime() - a.startNanos;
    String why = "did not stop within " + human(spec.cancelGrace());
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
    recordEnd(a, changed(store.tasks().finish(a.id(), a.attempt(), outcome, now)), ranNanos);
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
    EndAndNext both = store.tasks().finishAndClaim(a.id(), a.attempt(), outcome, now,
        spec.name(), engine.node());
    a.next = claimed(both.next());
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

  static String human(Duration d) {
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }
}
