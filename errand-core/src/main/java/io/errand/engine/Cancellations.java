package io.errand.engine;

import io.errand.api.CancelResult;
import io.errand.api.TaskStatus;
import io.errand.api.TaskStoppedException.StopCause;
import io.errand.spi.CancelAnswer;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Cancel, delete and batch cancel, and the running attempts of this process they reach.
 *
 * <p>A running attempt of this process is stopped directly. Otherwise the store decides: a
 * waiting task ends at once; a running one (here, not yet registered, or on another node) is
 * flagged, and the store's signal reaches whichever process runs it. A signal can arrive between
 * a claim and the attempt's registration; {@link #pendingCancels} closes that window: the signal
 * adds, then re-checks the workers; the worker publishes its attempt, then checks the pending
 * set. A signal that no worker here will ever consume (the task ended, went back to waiting, or
 * runs on another node) is dropped rather than kept.
 */
final class Cancellations {
  private final TaskStore store;
  private final InstantSource clock;
  private final String node;
  private final Completions completions;
  private final Consumer<TaskRecord> onFinished;
  private final LongFunction<Attempt> running;
  private final Set<Long> pendingCancels = ConcurrentHashMap.newKeySet();

  /**
   * {@code running} finds the attempt of a task running in this process (workers publish their
   * current attempt; a cancel, which is rare, scans them instead of every task paying for a map).
   */
  Cancellations(TaskStore store, InstantSource clock, String node, Completions completions,
      Consumer<TaskRecord> onFinished, LongFunction<Attempt> running) {
    this.running = running;
    this.store = store;
    this.clock = clock;
    this.node = node;
    this.completions = completions;
    this.onFinished = onFinished;
  }

  CancelResult cancel(long id, String reason) {
    String why = reason == null || reason.isBlank() ? "cancelled" : reason;
    Attempt a = running.apply(id);
    if (a != null) {
      if (a.stop(StopCause.CANCELLED, why) || a.isStopping()) {
        return new CancelResult.Stopping(id);
      }
      a.awaitSettled(1_000); // it is recording its own end: answer with what it recorded
    }
    return switch (store.tasks().requestCancel(id, why, clock.instant())) {
      case CancelAnswer.NotFound n -> new CancelResult.Unknown(id);
      case CancelAnswer.Cancelled c -> {
        onFinished.accept(c.record());
        yield new CancelResult.Cancelled(id);
      }
      case CancelAnswer.StopRequested s -> new CancelResult.Stopping(id);
      case CancelAnswer.AlreadyFinished f ->
          new CancelResult.AlreadyFinished(id, f.record().info().status());
    };
  }

  boolean delete(long id) {
    CancelResult r = cancel(id, "deleted");
    if (r instanceof CancelResult.Unknown) {
      return false;
    }
    if (r instanceof CancelResult.Stopping) {
      completions.await(id).thenRun(() -> store.tasks().delete(id));
    } else {
      store.tasks().delete(id);
    }
    return true;
  }

  int cancelBatch(long group, String reason) {
    int live = 0;
    for (long id : store.groups().live(group)) {
      CancelResult r = cancel(id, reason);
      if (r instanceof CancelResult.Cancelled || r instanceof CancelResult.Stopping) {
        live++;
      }
    }
    return live;
  }

  /** The store's signal that running task {@code id} was asked to stop. */
  void cancelRequested(long id) {
    Attempt a = running.apply(id);
    if (a == null) {
      pendingCancels.add(id);
      a = running.apply(id); // the worker may have registered meanwhile
      if (a == null) {
        if (!claimedHere(id)) {
          pendingCancels.remove(id); // no worker here will register it
        }
        return;
      }
      pendingCancels.remove(id);
    }
    a.stop(StopCause.CANCELLED, storedReason(id));
  }

  /** A worker published {@code a} as its current attempt: apply a cancel that came before. */
  void register(Attempt a) {
    if (a.record.cancelRequested()) {
      String why = a.record.info().cancelReason();
      a.stop(StopCause.CANCELLED, why == null ? "cancelled" : why);
    } else if (!pendingCancels.isEmpty() && pendingCancels.remove(a.id())) {
      // The cancel came after the claim: the claimed record holds no reason, the store does.
      a.stop(StopCause.CANCELLED, storedReason(a.id()));
    }
  }

  /**
   * Task {@code id} ended: a cancel signal still pending for it (it came as a claimed task was
   * given back, say) has nothing left to stop.
   */
  void ended(long id) {
    if (!pendingCancels.isEmpty()) {
      pendingCancels.remove(id);
    }
  }

  /** How many cancel signals wait for a worker to register their task (for tests). */
  int pending() {
    return pendingCancels.size();
  }

  /**
   * Whether task {@code id} is RUNNING on this node: claimed by a worker here that has not
   * registered its attempt yet. A claim clears the cancel flag, so a signal for a task that is
   * not running here is stale.
   */
  private boolean claimedHere(long id) {
    return store.tasks().find(id).filter(r -> r.info().status() == TaskStatus.RUNNING
        && node.equals(r.node())).isPresent();
  }

  /** The reason the store keeps for a cancel of running task {@code id}. */
  private String storedReason(long id) {
    String why = store.tasks().find(id).map(r -> r.info().cancelReason()).orElse(null);
    return why == null ? "cancelled" : why;
  }

}
