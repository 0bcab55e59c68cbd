package io.errand.engine;

import io.errand.api.DurationText;
import io.errand.api.ErrandException;
import io.errand.api.NonRetryableException;
import io.errand.api.QueueSpec;
import io.errand.api.TaskError;
import io.errand.api.TaskStoppedException;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.EndAndNext;
import io.errand.spi.Outcome;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one queue's attempts end in the store: success, failure or retry, a stop (cancel,
 * time-out, shutdown) and an abandon. Runs on the attempt's worker, or on the abandon timer;
 * the {@link Attempt}'s compare-and-set decides which of the two records the end.
 */
final class AttemptEnds {
  private static final Logger log = LoggerFactory.getLogger(AttemptEnds.class);

  /**
   * What a worker does after an attempt: run {@code task} (claimed with the end), or, with
   * none, park if {@code looked} (the end's claim found nothing due) or claim first.
   */
  record Next(TaskRecord task, boolean looked) {
    static final Next CLAIM = new Next(null, false);
    static final Next PARK = new Next(null, true);
  }

  private final QueueSpec<?, ?> spec;
  private final TaskStore store;
  private final RunnerContext ctx;
  private final QueueStats stats;
  private final DueTimer due;

  AttemptEnds(QueueSpec<?, ?> spec, TaskStore store, RunnerContext ctx, QueueStats stats,
      DueTimer due) {
    this.spec = spec;
    this.store = store;
    this.ctx = ctx;
    this.stats = stats;
    this.due = due;
  }

  /** Records how the attempt ended, unless the abandon timer already did; answers what next. */
  Next settle(Attempt a, Object result, Throwable failure) {
    long ranNanos = System.nanoTime() - a.startNanos;
    if (a.beginFinishing()) {
      Instant now = ctx.clock().instant();
      HandlerDecision decision = a.decision();
      if (decision != null) {
        decided(a, decision, now, ranNanos);
        return Next.CLAIM;
      }
      if (failure == null) {
        return endAndClaim(a, new Outcome.Succeeded(result), now, ranNanos);
      }
      if (!(failure instanceof Exception)) {
        log.error("handler of queue '{}' threw an Error on task {}", spec.name(), a.id(), failure);
      }
      TaskError error = ctx.errorOf().of(a.attempt(), failure, now);
      boolean retryable = !(failure instanceof NonRetryableException)
          && !(failure instanceof TaskStoppedException);
      failOrRetry(a, error, retryable, now, ranNanos);
    } else if (a.claimStopped()) {
      endStopped(a, ctx.clock().instant(), ranNanos, null);
    } else {
      log.debug("task {} attempt {} returned after it was abandoned; its result is discarded",
          a.id(), a.attempt());
    }
    return Next.CLAIM;
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
          ctx.finished().accept(after); // a cancel arrived while it ended
        } else if (after != null) {
          ctx.events().snoozed(after.info(), a.attempt(),
              "snoozed for " + DurationText.format(s.delay()));
        }
      }
    }
  }

  /**
   * The cancel grace ran out: records the stop now. True if this call decided the end (the
   * worker is then retired and its slot given to a new one), false if the worker did.
   */
  boolean abandon(Attempt a) {
    if (!a.claimStopped()) {
      return false;
    }
    stats.abandoned.increment();
    ctx.lifecycle().abandoned.increment();
    long ranNanos = System.nanoTime() - a.startNanos;
    String why = "did not stop within " + DurationText.format(spec.cancelGrace());
    ctx.failures().taskAbandoned(a.id(), spec.name(), a.attempt(), a.record.info().key(),
        why, a.stopReason());
    a.worker.retired = true;
    endStopped(a, ctx.clock().instant(), ranNanos, why);
    return true;
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
            ctx.lifecycle().requeued.increment();
          }
          finishAttempt(a, ranNanos);
          if (ended) {
            ctx.finished().accept(after);
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
          ctx.finished().accept(after); // a cancel arrived while it ended
        } else {
          stats.retried.increment();
          ctx.events().retrying(after.info(), error.message());
        }
      }
    } else {
      end(a, new Outcome.Failed(error), now, ranNanos);
    }
  }

  private void end(Attempt a, Outcome outcome, Instant now, long ranNanos) {
    recordEnd(a, changed(StoreOutage.retried(
        () -> store.tasks().finish(a.id(), a.attempt(), outcome, now),
        () -> store.durable() && ctx.lifecycle().claiming(), "the end of task " + a.id())),
        ranNanos);
  }

  /**
   * Ends the attempt on its worker's thread and, while the engine claims, takes the worker's
   * next task in the same store call.
   */
  private Next endAndClaim(Attempt a, Outcome outcome, Instant now, long ranNanos) {
    if (!ctx.lifecycle().claiming() || a.worker.retired) {
      end(a, outcome, now, ranNanos);
      return Next.CLAIM;
    }
    EndAndNext both;
    try {
      both = store.tasks().finishAndClaim(a.id(), a.attempt(), outcome, now, spec.name(),
          ctx.node());
    } catch (ErrandException e) {
      if (!"store_failed".equals(e.code()) || !store.durable()) {
        throw e;
      }
      end(a, outcome, now, ranNanos); // through the outage, claiming nothing meanwhile
      return Next.CLAIM;
    }
    TaskRecord next = both.next() instanceof Claim.Claimed(TaskRecord rec) ? rec : null;
    if (next == null) {
      due.arm(); // the queue ran dry: its delayed tasks need the timer
    }
    recordEnd(a, changed(both.ended()), ranNanos);
    return next == null ? Next.PARK : new Next(next, true);
  }

  /** The task after a fenced change, or null if the attempt was fenced out. */
  static TaskRecord changed(Change change) {
    return change instanceof Change.Changed(TaskRecord after) ? after : null;
  }

  /** The attempt is over; {@code after} is the task as it ended, or null if fenced out. */
  private void recordEnd(Attempt a, TaskRecord after, long ranNanos) {
    finishAttempt(a, ranNanos);
    ctx.history().ended(spec.name(), ranNanos, after == null ? null : after.info().status());
    if (after != null) {
      ctx.finished().accept(after);
    }
  }

  private void finishAttempt(Attempt a, long ranNanos) {
    stats.runTime.record(ranNanos, a.worker.number);
    stats.running.decrementAndGet();
    if (a.worker.current == a) {
      a.worker.current = null;
    }
    ctx.attempts().ended(a);
    a.markDone();
  }
}
