package io.errand.engine;

import io.errand.api.DurationText;
import io.errand.api.Errand;
import io.errand.api.Page;
import io.errand.api.ShutdownReport;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.api.TaskStoppedException.StopCause;
import io.errand.spi.TaskRecord;
import java.time.Duration;
import java.util.List;
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

  private final Engine engine;
  private final Lifecycle lifecycle;

  Shutdown(Engine engine) {
    this.engine = engine;
    this.lifecycle = engine.lifecycle();
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
    engine.stopSchedules(); // joined here: it must not be deciding when the store closes
    engine.shutdownExecutors();
    LongAdder keysStopped = new LongAdder();
    Thread keys = Thread.ofVirtual().name("errand-shutdown-keys").start(() ->
        engine.supervisorRunners().forEach(s -> keysStopped.add(s.stopAll())));
    lifecycle.awaitUntil(() -> lifecycle.submitsInFlight() == 0, SUBMITS_DRAIN_NANOS);
    engine.runners().forEach(QueueRunner::wakeAll);
    log.info("Errand is shutting down: {} tasks running, waiting up to {} for them",
        engine.attempts().size(), grace);

    lifecycle.awaitUntil(() -> engine.attempts().isEmpty(), grace.toNanos());
    List<Attempt> left = List.copyOf(engine.attempts());
    Duration longestGrace = Duration.ZERO;
    for (Attempt a : left) {
      a.stop(StopCause.SHUTDOWN, "Errand shut down before the task finished (grace "
          + DurationText.format(grace) + ")");
      if (a.runner.spec().cancelGrace().compareTo(longestGrace) > 0) {
        longestGrace = a.runner.spec().cancelGrace();
      }
    }
    if (!left.isEmpty()) {
      lifecycle.awaitUntil(() -> engine.attempts().isEmpty(),
          longestGrace.plusSeconds(1).toNanos());
      // The abandon timers follow the engine clock; a clock that does not move must not hang us.
      List.copyOf(engine.attempts()).forEach(a -> a.runner.abandon(a));
    }

    // After the workers exit: one may give back a task it claimed as the draining began.
    lifecycle.awaitUntil(() -> engine.runners().stream().allMatch(r -> r.liveWorkers() == 0),
        Duration.ofSeconds(2).toNanos());
    long waiting = 0;
    if (engine.store().durable()) {
      for (QueueRunner r : engine.runners()) {
        waiting += engine.store().tasks().waiting(r.spec().name());
      }
    } else {
      cancelNeverStarted();
    }
    joinQuietly(keys);
    lifecycle.stopped();
    engine.closeClockSubscription();
    engine.timers().close();
    engine.failureLog().flush(); // its summaries' timers will not run now
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
    for (QueueRunner r : engine.runners()) {
      if (engine.store().tasks().waiting(r.spec().name()) == 0) {
        continue;
      }
      TaskQuery q = new TaskQuery(r.spec().name(), TaskStatus.WAITING, TaskQuery.MAX_LIMIT, 0);
      Page<TaskRecord> page;
      do {
        page = engine.store().tasks().list(q);
        for (TaskRecord t : page.items()) {
          engine.cancel(t.id(), "Errand shut down before the task started");
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
    for (QueueRunner r : engine.runners()) {
      t[0] += r.stats.succeeded.sum();
      t[1] += r.stats.failed.sum();
      t[2] += r.stats.cancelled.sum();
    }
    return t;
  }
}
