package io.errand.engine;

import io.errand.api.ErrandException;
import io.errand.api.EventType;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.CancelAnswer;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What follows a task's end: the futures of {@link io.errand.api.Errand#await} (completed on a
 * fresh virtual thread, never the worker's), the next step of a chain, and the one completion
 * event of a batch.
 */
final class Completions {
  private final TaskStore store;
  private final InstantSource clock;
  private final Consumer<TaskRecord> onFinished;
  private final EventSink events;
  private final ConcurrentHashMap<Long, CompletableFuture<TaskInfo>> waiters =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, AtomicLong> groupsLive = new ConcurrentHashMap<>();

  /** Where batch completion events go. */
  interface EventSink {
    void batchFinished(long group, String queue, String message);
  }

  Completions(TaskStore store, InstantSource clock, Consumer<TaskRecord> onFinished,
      EventSink events) {
    this.store = store;
    this.clock = clock;
    this.onFinished = onFinished;
    this.events = events;
  }

  CompletableFuture<TaskInfo> await(long id) {
    CompletableFuture<TaskInfo> shared = waiters.computeIfAbsent(id,
        k -> new CompletableFuture<>());
    Optional<TaskRecord> now = store.find(id);
    if (now.isEmpty()) {
      waiters.remove(id, shared);
      return CompletableFuture.failedFuture(new ErrandException("unknown_task",
          "no task with id " + id + " (never submitted, or removed after its retention)"));
    }
    if (now.get().info().isFinished()) {
      waiters.remove(id, shared);
      shared.complete(now.get().info());
    }
    return shared.copy();
  }

  void trackGroup(long group, int size) {
    groupsLive.put(group, new AtomicLong(size));
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
    if (rec.next() != 0) {
      continueChain(rec);
    }
    if (info.group() != 0) {
      countGroup(info);
    }
  }

  private void continueChain(TaskRecord rec) {
    TaskInfo info = rec.info();
    if (info.status() == TaskStatus.SUCCESS) {
      store.release(rec.next(), info.response(), clock.instant());
      return;
    }
    String reason = "step " + info.id() + " of the chain ended " + info.status()
        + (info.message().isEmpty() ? "" : ": " + info.message());
    CancelAnswer next = store.requestCancel(rec.next(), reason, clock.instant());
    if (next.found() && next.before() == TaskStatus.WAITING) {
      onFinished.accept(next.record());
    }
  }

  private void countGroup(TaskInfo info) {
    AtomicLong live = groupsLive.get(info.group());
    long left;
    if (live == null) {
      // Not submitted by this process (a durable store after restart): ask the store.
      left = store.group(info.group()).map(s -> s.waiting() + s.running()).orElse(0L);
    } else {
      left = live.decrementAndGet();
    }
    if (left == 0) {
      groupsLive.remove(info.group());
      events.batchFinished(info.group(), info.queue(), store.group(info.group())
          .map(s -> s.succeeded() + " succeeded, " + s.failed() + " failed, " + s.cancelled()
              + " cancelled").orElse(""));
    }
  }

  static EventType eventOf(TaskStatus status) {
    return switch (status) {
      case SUCCESS -> EventType.SUCCEEDED;
      case FAILURE -> EventType.FAILED;
      case CANCELLED -> EventType.CANCELLED;
      default -> throw new IllegalArgumentException("not terminal: " + status);
    };
  }
}
