package io.errand.engine;

import io.errand.api.EventType;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.ClusterStore;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Builds the engine's events and hands them to the {@link EventBus}, in lifecycle order per
 * task: ADDED comes from the store's insert signal, raised before the task can be claimed, so
 * it precedes STARTED and everything else. Every method is a no-op while nobody listens, so the
 * hot path builds no event at all.
 *
 * <p>With a store that keeps the cluster's event log ({@link ClusterStore}), the store logs
 * every task event in the transaction of its change and hands it back, numbered, to every
 * node ({@link #logged}): the task events here are then not published (they would come twice),
 * and the events the store cannot see (keys, schedules) are appended to the log instead.
 */
final class TaskEvents {
  private final EventBus bus;
  private final InstantSource clock;
  private final ClusterStore cluster; // null: this process's events only

  TaskEvents(EventBus bus, InstantSource clock, ClusterStore cluster) {
    this.bus = bus;
    this.clock = clock;
    this.cluster = cluster;
  }

  /** Whether task events are to be built here (someone listens, and the store logs none). */
  private boolean active() {
    return cluster == null && bus.active();
  }

  /** An event of the cluster's log, from any node. */
  void logged(TaskEvent event) {
    if (bus.active()) {
      bus.publish(event);
    }
  }

  /** An event the store does not log by itself: appended to the cluster's log, or published. */
  void other(TaskEvent event) {
    if (cluster != null) {
      cluster.append(event);
    } else if (bus.active()) {
      bus.publish(event);
    }
  }

  /** Whether {@link #other} would do anything: lets callers skip building the event. */
  boolean othersWanted() {
    return cluster != null || bus.active();
  }

  /** A task was inserted at {@code createdAt} (the store's signal). */
  void added(long id, String queue, String key, Instant createdAt) {
    if (active()) {
      bus.publish(new TaskEvent(EventType.ADDED, id, queue, TaskStatus.WAITING, 0, 0, 0, null,
          createdAt, key));
    }
  }

  /** An attempt started. */
  void started(TaskInfo info) {
    if (active()) {
      bus.publish(of(EventType.STARTED, info, null, info.startedAt()));
    }
  }

  void progress(Attempt a, long current, long total, String message) {
    progress(a.id(), a.queue(), a.attempt(), a.record.info().key(), current, total, message);
  }

  /** Progress of attempt {@code attempt} of task {@code id}, reported by its handler or not. */
  void progress(long id, String queue, int attempt, String key, long current, long total,
      String message) {
    if (active()) {
      bus.publish(new TaskEvent(EventType.PROGRESS, id, queue, TaskStatus.RUNNING, attempt,
          current, total, message, clock.instant(), key));
    }
  }

  void retrying(TaskInfo info, String message) {
    if (active()) {
      bus.publish(of(EventType.RETRYING, info, message, clock.instant()));
    }
  }

  /**
   * The handler of attempt {@code attempt} snoozed its task: it waits again, that attempt not
   * charged (so {@code info}'s attempt is one less); the event names the attempt that ran.
   */
  void snoozed(TaskInfo info, int attempt, String message) {
    if (bus.active()) {
      bus.publish(new TaskEvent(EventType.SNOOZED, info.id(), info.queue(), info.status(),
          attempt, info.current(), info.total(), message, clock.instant(), info.key()));
    }
  }

  /** A task reached a terminal status. */
  void finished(TaskInfo info) {
    if (active()) {
      EventType type = switch (info.status()) {
        case SUCCESS -> EventType.SUCCEEDED;
        case FAILURE -> EventType.FAILED;
        case CANCELLED -> EventType.CANCELLED;
        default -> throw new IllegalArgumentException("not terminal: " + info.status());
      };
      bus.publish(of(type, info, null, info.finishedAt()));
    }
  }

  void batchFinished(long group, String queue, String message) {
    if (active()) {
      bus.publish(new TaskEvent(EventType.BATCH_FINISHED, group, queue, null, 0, 0, 0, message,
          clock.instant(), null));
    }
  }

  /** An event of a supervised key's instance {@code instance} (its {@code attempt}-th run). */
  void key(EventType type, String supervisor, String key, long instance, int attempt,
      String message) {
    if (othersWanted()) {
      other(new TaskEvent(type, instance, supervisor, null, attempt, 0, 0, message,
          clock.instant(), key));
    }
  }

  private TaskEvent of(EventType type, TaskInfo info, String message, Instant at) {
    return new TaskEvent(type, info.id(), info.queue(), info.status(), info.attempt(),
        info.current(), info.total(), message == null ? info.message() : message,
        at != null ? at : clock.instant(), info.key());
  }
}
