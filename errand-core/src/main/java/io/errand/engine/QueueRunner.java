package io.errand.engine;

import io.errand.api.DurationText;
import io.errand.api.QueueMetrics;
import io.errand.api.QueueSpec;
import io.errand.api.TaskHandler;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStoppedException.StopCause;
import io.errand.spi.Change;
import io.errand.spi.ProgressAnswer;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
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
 *
 * <p>It sees the engine only through its {@link RunnerContext}, and owns its queue's
 * statistics: the engine tells it of submits and ends ({@link #added}, {@link #finished}).
 *
 * <p>A worker that fails outside a handler with an exception (a store call that threw) is
 * replaced. One that fails with an {@link Error} is not: the error propagates, ends the thread
 * and is logged once by the thread's handler; the queue goes on with one worker fewer, as a
 * JVM in that state should not be trusted to make threads in a loop.
 */
final class QueueRunner {
  private static final Logger log = LoggerFactory.getLogger(QueueRunner.class);
  /** The most tasks one claim takes: the waking worker's and 31 for parked ones. */
  static final int MAX_CLAIM = 32;

  private final RunnerContext ctx;
  private final QueueSpec<?, ?> spec;
  @SuppressWarnings("rawtypes")
  private final TaskHandler handler;
  private final TaskStore store;
  private final QueueStats stats;
  private final IdleWorkers idle = new IdleWorkers();
  private final DueTimer due;
  private final AttemptEnds ends;
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

  QueueRunner(RunnerContext ctx, QueueSpec<?, ?> spec, TaskStore store) {
    this.ctx = ctx;
    this.spec = spec;
    this.handler = spec.handler();
    this.store = store;
    this.stats = new QueueStats(ctx.clock().instant().getEpochSecond());
    this.due = new DueTimer(ctx.timers(), ctx.clock(),
        () -> store.tasks().nextDue(spec.name()), idle::wakeOne);
    this.ends = new AttemptEnds(spec, store, ctx, stats, due);
  }

  QueueSpec<?, ?> spec() {
    return spec;
  }

  Timers timers() {
    return ctx.timers();
  }

  /** Whether the engine is shutting down. */
  boolean shuttingDown() {
    return ctx.lifecycle().shuttingDown();
  }

  /** With a durable store, a checkpoint during shutdown stops the handler to requeue it. */
  boolean shutdownStopsHandlers() {
    return ctx.lifecycle().shuttingDown() && store.durable();
  }

  /** A task of this queue was added to the store. */
  void added() {
    stats.submitted.increment();
  }

  /** A task of this queue reached a terminal status (here or on another node). */
  void finished(TaskInfo info) {
    switch (info.status()) {
      case SUCCESS -> stats.succeeded.increment();
      case FAILURE -> stats.failed.increment();
      default -> stats.cancelled.increment();
    }
    stats.finishedAt(info.finishedAt() == null ? ctx.clock().instant().getEpochSecond()
        : info.finishedAt().getEpochSecond());
  }

  /** The queue's metrics now, with {@code waiting} tasks in the store. */
  QueueMetrics metrics(long waiting) {
    return stats.snapshot(spec.name(), spec.workers(), waiting,
        ctx.clock().instant().getEpochSecond());
  }

  /** How many of this queue's tasks ended SUCCESS, FAILURE and CANCELLED so far. */
  long[] endTotals() {
    return new long[] {stats.succeeded.sum(), stats.failed.sum(), stats.cancelled.sum()};
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
    // An Error ends the worker (see the class comment): said once, here, with what is left.
    builder.uncaughtExceptionHandler((t, e) -> log.error("worker {} of queue '{}' died of an"
        + " Error and is not replaced; {} workers remain", t.getName(), spec.name(),
        liveWorkers(), e));
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

  /** The attempt of task {@code id} running on a worker of any of {@code runners}, or null. */
  static Attempt running(Collection<QueueRunner> runners, long id) {
    for (QueueRunner r : runners) {
      Attempt a = r.running(id);
      if (a != null) {
        return a;
      }
    }
    return null;
  }

  /** Adds the attempts running now to {@code into}. */
  void collectRunning(Collection<Attempt> into) {
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
      while (ctx.lifecycle().claiming() && !w.retired) {
        if (rec == null) {
          rec = looked ? idleUntilWork(w) : claimForIdle();
          looked = true;
          if (rec == null) {
            continue;
          }
        }
        if (!ctx.lifecycle().claiming()) {
          giveBack(rec);
          return;
        }
        AttemptEnds.Next next = run(rec, w);
        if (w.retired) {
          return; // a replacement took this worker's slot while the handler was stuck
        }
        rec = next.task();
        looked = next.looked();
      }
      if (rec != null) {
        giveBack(rec);
      }
    } catch (RuntimeException e) {
      log.error("worker of queue '{}' failed outside a handler; starting a new one", spec.name(), e);
      if (ctx.lifecycle().claiming()) {
        startWorker();
      }
    } finally {
      idle.leave(w); // a worker that failed while idle must not absorb a signal after it is gone
      workers.remove(w);
      ctx.lifecycle().attemptEnded();
    }
  }

  /**
   * Puts back a task claimed as the engine stopped claiming, its attempt not charged: it never
   * started. A durable store keeps it for the next start; the memory store's shutdown cancels
   * it with the other tasks that never started.
   */
  private void giveBack(TaskRecord rec) {
    if (store.tasks().reschedule(rec.id(), rec.info().attempt(), null, ctx.clock().instant())
        instanceof Change.Changed(TaskRecord after) && after.info().status().isTerminal()) {
      ctx.finished().accept(after); // a cancel reached it since its claim: it ended here
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
      got = store.tasks().claim(spec.name(), ctx.node(), ctx.clock().instant(), want);
    } finally {
      int handed = Math.max(0, got.size() - 1);
      for (int i = 0; i < handed; i++) {
        idle.hand(helpers.get(i), got.get(i + 1));
      }
      idle.putBack(helpers.subList(handed, helpers.size()));
      if (!ctx.lifecycle().claiming()) {
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

  /**
   * Called after a claim for this worker found nothing: parks until a signal (then claims for
   * itself and the parked workers), a task handed by another worker, or the engine's stop. A
   * signal that came since that claim, while no worker was parked, makes it claim at once
   * instead ({@link IdleWorkers#announce}): no wake-up is lost, and no claim is repeated.
   */
  private TaskRecord idleUntilWork(Worker w) {
    if (idle.announce(w)) {
      TaskRecord handed = idle.await(w, ctx.lifecycle()::claiming);
      if (handed != null || !ctx.lifecycle().claiming()) {
        return handed;
      }
    }
    return claimForIdle();
  }

  /** Runs one claimed task with its MDC set, from the handler's start to its end's record. */
  private AttemptEnds.Next run(TaskRecord rec, Worker worker) {
    try (TaskMdc mdc = TaskMdc.open(rec.id(), spec.name(), rec.info().attempt(),
        rec.info().key())) {
      return runAttempt(rec, worker);
    }
  }

  @SuppressWarnings("unchecked")
  private AttemptEnds.Next runAttempt(TaskRecord rec, Worker worker) {
    Instant now = ctx.clock().instant();
    Duration timeout = spec.timeout();
    // From the start the store recorded (the task's startedAt), not from now: the clock may
    // have moved since the claim, and the deadline must be the one a reader of the task expects.
    Instant started = rec.info().startedAt() == null ? now : rec.info().startedAt();
    Instant deadline = timeout == null ? null : started.plus(timeout);
    Attempt a = new Attempt(rec, this, deadline, worker);
    a.bindThread(Thread.currentThread());
    stats.running.incrementAndGet();
    long waited = nanosBetween(rec.info().runAt(), now);
    stats.waitTime.record(waited, worker.number);
    ctx.history().started(spec.name(), waited);
    worker.current = a; // published before the pending-cancel check in registerAttempt
    ctx.attempts().started(a);
    // Published first, checked second: a shutdown that began after the loop's check either
    // finds this attempt among the running ones or is seen here.
    if (!ctx.lifecycle().claiming()) {
      a.stop(StopCause.SHUTDOWN, "Errand shut down before the task started");
    }
    Object result = null;
    Throwable failure = null;
    if (!a.isStopping()) { // a cancel or the shutdown came before the start: the handler is spared
      ctx.events().started(rec.info());
      if (deadline != null) {
        a.armTimeout(ctx.timers(), "timed out after " + DurationText.format(timeout));
      }
      a.handlerStarting();
      try {
        result = handler.run(a);
      } catch (Throwable t) {
        failure = t;
      }
    }
    a.handlerReturned(); // a cancel's interrupt must not leak into the next claim
    a.cancelTimers();
    return ends.settle(a, result, failure);
  }

  /** The cancel grace of {@code a} ran out: record the stop and give the slot to a new worker. */
  void abandon(Attempt a) {
    if (ends.abandon(a) && ctx.lifecycle().claiming()) {
      startWorker();
    }
  }

  void progress(Attempt a, long current, long total, String message) {
    if (store.tasks().progress(a.id(), a.attempt(), current, total, message)
        == ProgressAnswer.RECORDED) {
      ctx.events().progress(a, current, total, message);
    }
  }

  /** {@code to - from} in nanoseconds, at least 0, without allocating a Duration. */
  static long nanosBetween(Instant from, Instant to) {
    long nanos = (to.getEpochSecond() - from.getEpochSecond()) * 1_000_000_000L
        + (to.getNano() - from.getNano());
    return Math.max(0, nanos);
  }
}
