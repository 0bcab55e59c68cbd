package io.errand.engine;

import io.errand.api.DurationText;
import io.errand.api.Errand;
import io.errand.api.Page;
import io.errand.api.ShutdownReport;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.api.TaskStoppedException.StopCause;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful shutdown, in the order seed 003 asks for: stop accepting, tell the handlers,
 * wait up to the grace, cancel what is left, wait (bounded) for the cancellations, report.
 */
final class Shutdown {
  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
  private static final long SUBMITS_DRAIN_NANOS = Duration.ofSeconds(5).toNanos();

  /**
   * What a shutdown needs of the engine, and nothing more.
   *
   * @param lifecycle the engine's lifecycle, moved to draining and then stopped
   * @param queues the queue runners, whose workers and attempts it waits for
   * @param supervisors the supervisor runners, whose keys it stops
   * @param stopSchedules stops the schedule runner and waits for its thread (bounded)
   * @param closeExecutors makes the executors take no more tasks
   * @param store the store, closed last
   * @param timers the engine's timers, closed
   * @param failures the failure log, flushed
   * @param events the event bus, drained and closed
   * @param closeClock stops following a manual clock
   * @param flushHistory adds this node's last counts to the store's history
   * @param cancel cancels a task by id with a reason
   */
  record Parts(Lifecycle lifecycle, Collection<QueueRunner> queues,
      Collection<SupervisorRunner> supervisors, Runnable stopSchedules, Runnable closeExecutors, TaskStore store,
      Timers timers, FailureLog failures, EventBus events, Runnable closeClock,
      Runnable flushHistory, BiConsumer<Long, String> cancel) {}

  private final Parts engine;
  private final Lifecycle lifecycle;

  Shutdown(Parts parts) {
    this.engine = parts;
    this.lifecycle = parts.lifecycle();
  }

  /** The attempts running in this process now. */
  private List<Attempt> attempts() {
    List<Attempt> all = new ArrayList<>();
    engine.queues().forEach(r -> r.collectRunning(all));
    return all;
  }

  ShutdownReport run(Duration requested) {
    // A grace past the builder's limit means "as long as it takes" just as well, and the limit
    // still fits a long in nanoseconds (Duration.toNanos of a longer one may overflow).
    Duration grace = requested.isNegative() ? Duration.ZERO
        : requested.compareTo(Errand.LONGEST_DURATION) > 0 ? Errand.LONGEST_DURATION : requested;
    long start = System.nanoTime();
    long[] before = totals();
    long abandonedBefore = lifecycle.abandoned.sum();
    long requeuedBefore = lifecycle.requeued.sum();

    lifecycle.beginDraining();
    engine.stopSchedules().run(); // joined here: it must not be deciding when the store closes
    engine.closeExecutors().run();
    LongAdder keysStopped = new LongAdder();
    Thread keys = Thread.ofVirtual().name("errand-shutdown-keys").start(() ->
        engine.supervisors().forEach(s -> keysStopped.add(s.stopAll())));
    lifecycle.awaitUntil(() -> lifecycle.submitsInFlight() == 0, SUBMITS_DRAIN_NANOS);
    engine.queues().forEach(QueueRunner::wakeAll);
    log.info("Errand is shutting down: {} tasks running, waiting up to {} for them",
        attempts().size(), grace);

    lifecycle.awaitUntil(() -> attempts().isEmpty(), grace.toNanos());
    List<Attempt> left = List.copyOf(attempts());
    Duration longestGrace = Duration.ZERO;
    for (Attempt a : left) {
      a.stop(StopCause.SHUTDOWN, "Errand shut down before the task finished (grace "
          + DurationText.format(grace) + ")");
      if (a.runner.spec().cancelGrace().compareTo(longestGrace) > 0) {
        longestGrace = a.runner.spec().cancelGrace();
      }
    }
    if (!left.isEmpty()) {
      lifecycle.awaitUntil(() -> attempts().isEmpty(),
          longestGrace.plusSeconds(1).toNanos());
      // The abandon timers follow the engine clock; a clock that does not move must not hang us.
      List.copyOf(attempts()).forEach(a -> a.runner.abandon(a));
    }

    // After the workers exit: one may give back a task it claimed as the draining began.
    lifecycle.awaitUntil(() -> engine.queues().stream().allMatch(r -> r.liveWorkers() == 0),
        Duration.ofSeconds(2).toNanos());
    long waiting = 0;
    if (engine.store().durable()) {
      for (QueueRunner r : engine.queues()) {
        waiting += engine.store().tasks().waiting(r.spec().name());
      }
    } else {
      cancelNeverStarted();
    }
    joinQuietly(keys);
    lifecycle.stopped();
    engine.closeClock().run();
    engine.timers().close();
    engine.failures().flush(); // its summaries' timers will not run now
    engine.flushHistory().run(); // after the last attempt ended, before the store closes
    engine.events().drainAndClose(Duration.ofSeconds(5));
    engine.store().close();

    long[] after = totals();
    ShutdownReport report = new ShutdownReport(after[0] - before[0], after[1] - before[1],
        after[2] - before[2], lifecycle.requeued.sum() - requeuedBefore,
        lifecycle.abandoned.sum() - abandonedBefore, waiting, keysStopped.sum(),
        Duration.ofNanos(System.nanoTime() - start));
    log.info("Errand {}", report);
    return report;
  }

  /** With the memory store nothing can run these later: end them, so their awaiters return. */
  private void cancelNeverStarted() {
    for (QueueRunner r : engine.queues()) {
      if (engine.store().tasks().waiting(r.spec().name()) == 0) {
        continue;
      }
      TaskQuery q = new TaskQuery(r.spec().name(), TaskStatus.WAITING, TaskQuery.MAX_LIMIT, 0);
      Page<TaskRecord> page;
      do {
        page = engine.store().tasks().list(q);
        for (TaskRecord t : page.items()) {
          engine.cancel().accept(t.id(), "Errand shut down before the task started");
        }
        q = q.after(page.nextCursor());
      } while (page.hasMore());
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(); // bounded: each supervisor bounds its stops by its stop time-outs
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long[] totals() {
    long[] t = new long[3];
    for (QueueRunner r : engine.queues()) {
      long[] ends = r.endTotals();
      for (int i = 0; i < t.length; i++) {
        t[i] += ends[i];
      }
    }
    return t;
  }
}
