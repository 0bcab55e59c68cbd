package io.errand.engine;

import io.errand.api.ErrandException;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.CancelAnswer;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * What follows a task's end: the futures of {@link io.errand.api.Errand#await} (completed on a
 * fresh virtual thread, never the worker's), the next step of a chain, and the one completion
 * event of a batch.
 */
final class Completions {
  /** How often an await on a shared store reads the tasks that may end elsewhere: 0.5 s. */
  static final long ELSEWHERE_POLL_NANOS = 500_000_000L;
  private final TaskStore store;
  private final InstantSource clock;
  private final Consumer<TaskRecord> onFinished;
  private final EventSink events;
  private final ConcurrentHashMap<Long, CompletableFuture<TaskInfo>> waiters =
      new ConcurrentHashMap<>();
  /**
   * Live tasks per group submitted by this process. Workers may finish a group's tasks before its
   * submitter registers the group's size, so both sides merge: the size (+n) and each end (-1),
   * in either order, and whoever brings the sum to zero announces the batch.
   */
  private final ConcurrentHashMap<Long, Long> groupsLive = new ConcurrentHashMap<>();
  private final Instant startedAt;
  private final AtomicBoolean watching = new AtomicBoolean();
  private final boolean countsGroups;
  private final BatchCallbacks callbacks;

  /** Where batch completion events go. */
  interface EventSink {
    void batchFinished(long group, String queue, String message);
  }

  /**
   * @param countsGroups whether this process announces a batch's end; false when the store
   *     logs BATCH_FINISHED itself, once for the cluster ({@link io.errand.spi.ClusterStore})
   */
  Completions(TaskStore store, InstantSource clock, Consumer<TaskRecord> onFinished,
      EventSink events, Instant startedAt, boolean countsGroups) {
    this.countsGroups = countsGroups;
    this.startedAt = startedAt;
    this.store = store;
    this.clock = clock;
    this.onFinished = onFinished;
    this.events = events;
    this.callbacks = new BatchCallbacks(store, clock, onFinished);
  }

  CompletableFuture<TaskInfo> await(long id) {
    CompletableFuture<TaskInfo> shared = waiters.computeIfAbsent(id,
        k -> new CompletableFuture<>());
    Optional<TaskRecord> now = store.tasks().find(id);
    if (now.isEmpty()) {
      waiters.remove(id, shared);
      return CompletableFuture.failedFuture(new ErrandException("unknown_task",
          "no task with id " + id + " (never submitted, or removed after its retention)"));
    }
    if (now.get().info().isFinished()) {
      waiters.remove(id, shared);
      shared.complete(now.get().info());
    } else if (store.shared()) {
      watchForEndsElsewhere();
    }
    return shared.copy();
  }

  /**
   * With a store other nodes share, a task awaited here may end on another node, which signals
   * nothing here: one virtual thread reads the awaited tasks every {@link #ELSEWHERE_POLL_NANOS}
   * while anyone waits.
   */
  private void watchForEndsElsewhere() {
    if (watching.compareAndSet(false, true)) {
      Thread.ofVirtual().name("errand-await-elsewhere").start(this::readAwaitedTasks);
    }
  }

  private void readAwaitedTasks() {
    try {
      while (!waiters.isEmpty()) {
        LockSupport.parkNanos(ELSEWHERE_POLL_NANOS);
        for (Long id : List.copyOf(waiters.keySet())) {
          store.tasks().find(id).map(TaskRecord::info).filter(TaskInfo::isFinished).ifPresent(info -> {
            CompletableFuture<TaskInfo> f = waiters.remove(id);
            if (f != null) {
              f.complete(info);
            }
          });
        }
      }
    } catch (RuntimeException storeClosed) {
      return; // the engine stopped; those still waiting wait as they would on this node
    } finally {
      watching.set(false);
    }
    if (!waiters.isEmpty()) {
      watchForEndsElsewhere(); // an await came as this thread was leaving
    }
  }

  /** At start: acts on batch callbacks whose batch ended with no node to act (a crash). */
  void recoverCallbacks() {
    callbacks.recover();
  }

  void trackGroup(long group, int size, String queue) {
    if (countsGroups) {
      countDown(group, size, queue);
    }
  }

  /**
   * The cluster's event log says task {@code id} ended, on whichever node: an await of it here
   * completes now rather than at the next read of the awaited tasks.
   */
  void endedSomewhere(long id) {
    if (waiters.containsKey(id)) {
      Thread.ofVirtual().name("errand-await-" + id).start(() ->
          store.tasks().find(id).map(TaskRecord::info).filter(TaskInfo::isFinished)
              .ifPresent(info -> {
                CompletableFuture<TaskInfo> f = waiters.remove(id);
                if (f != null) {
                  f.complete(info);
                }
              }));
    }
  }

  /** Called once per task that reached a terminal status, after it was recorded. */
  void finished(TaskRecord rec) {
    TaskInfo info = rec.info();
    if (!waiters.isEmpty()) {
      CompletableFuture<TaskInfo> f = waiters.remove(info.id());
      if (f != null) {
        Thread.ofVirtual().name("errand-await-" + info.id()).start(() -> f.complete(info));
      }
    }
    if (rec.next() > 0 && !callbacks.ended(info, rec.next())) {
      continueChain(rec);
    }
    if (info.group() != 0 && countsGroups) {
      countGroup(info);
    }
  }

  private void continueChain(TaskRecord rec) {
    TaskInfo info = rec.info();
    if (info.status() == TaskStatus.SUCCESS) {
      store.groups().release(rec.next(), info.response(), clock.instant());
      return;
    }
    String reason = "step " + info.id() + " of the chain ended " + info.status()
        + (info.message().isEmpty() ? "" : ": " + info.message());
    if (store.tasks().requestCancel(rec.next(), reason, clock.instant())
        instanceof CancelAnswer.Cancelled next) {
      onFinished.accept(next.record());
    }
  }

  private void countGroup(TaskInfo info) {
    if (info.createdAt().isBefore(startedAt)) {
      // Submitted before a restart (durable store): no size was registered here; ask the store.
      if (store.groups().status(info.group()).map(s -> s.waiting() + s.running()).orElse(0L) == 0) {
        announce(info.group(), info.queue());
      }
      return;
    }
    countDown(info.group(), -1, info.queue());
  }

  private void countDown(long group, long delta, String queue) {
    Long left = groupsLive.merge(group, delta, Long::sum);
    if (left == 0 && groupsLive.remove(group, 0L)) {
      announce(group, queue);
    }
  }

  private void announce(long group, String queue) {
    events.batchFinished(group, queue, store.groups().status(group)
        .map(s -> s.succeeded() + " succeeded, " + s.failed() + " failed, " + s.cancelled()
            + " cancelled").orElse(""));
  }
}
