package io.errand.engine;

import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.QueueControl;
import io.errand.api.TaskEvent;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One queue's {@link QueueControl} over the store's {@link io.errand.spi.QueueControls}: the
 * store keeps the pause and its claims honour it, so this class only asks, publishes the event
 * and, for a drain, watches the store's RUNNING tasks of the queue until there are none.
 */
final class EngineQueueControl implements QueueControl {
  /**
   * How often a drain looks at the store's running tasks. A task may end on another node (or
   * be retried, which raises no end here), so it reads rather than waits for an end signal.
   */
  private static final long LOOK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final String queue;
  private final TaskStore store;
  private final InstantSource clock;
  private final EventBus events;
  private final java.util.OptionalInt limit;

  EngineQueueControl(String queue, TaskStore store, InstantSource clock, EventBus events,
      java.util.OptionalInt limit) {
    this.queue = queue;
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.limit = limit;
  }

  @Override
  public String queue() {
    return queue;
  }

  @Override
  public boolean pause() {
    Instant now = clock.instant();
    boolean changed = store.controls().pause(queue, now);
    if (changed) {
      publish(EventType.QUEUE_PAUSED, now, "queue '" + queue + "' paused");
    }
    return changed;
  }

  @Override
  public boolean resume() {
    Instant now = clock.instant();
    boolean changed = store.controls().resume(queue, now);
    if (changed) {
      publish(EventType.QUEUE_RESUMED, now, "queue '" + queue + "' resumed");
    }
    return changed;
  }

  @Override
  public boolean isPaused() {
    return store.controls().paused().containsKey(queue);
  }

  @Override
  public Optional<Instant> pausedSince() {
    return Optional.ofNullable(store.controls().paused().get(queue));
  }

  @Override
  public Optional<String> holdReason() {
    Optional<Instant> since = pausedSince();
    if (since.isPresent()) {
      return Optional.of("queue '" + queue + "' is paused since " + since.get());
    }
    if (limit.isPresent()) {
      long running = running();
      if (running >= limit.getAsInt()) {
        return Optional.of("concurrency limit of queue '" + queue + "': " + running + " of "
            + limit.getAsInt() + " running");
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<String> holdReason(io.errand.api.TaskInfo task) {
    Optional<String> queueWide = holdReason();
    if (queueWide.isPresent() || task.status() != io.errand.api.TaskStatus.WAITING) {
      return queueWide;
    }
    Instant now = clock.instant();
    if (task.runAt() != null && task.runAt().isAfter(now)) {
      return Optional.empty(); // not due: no limit holds it yet
    }
    return store.tasks().find(task.id())
        .flatMap(record -> store.controls().heldBack(record, now));
  }

  @Override
  public DrainReport drain(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.compareTo(Errand.LONGEST_DURATION) > 0) {
      throw new IllegalArgumentException("drain deadline must be between 0 and "
          + Errand.LONGEST_DURATION.toDays() + " days, was " + deadline);
    }
    long start = System.nanoTime();
    long end = start + deadline.toNanos();
    pause();
    boolean interrupted = false;
    try {
      while (true) {
        long running = running();
        long now = System.nanoTime();
        if (running == 0 || now - end >= 0 || interrupted) {
          return new DrainReport(queue, running == 0, running, Duration.ofNanos(now - start));
        }
        LockSupport.parkNanos(Math.min(LOOK_EVERY_NANOS, end - now));
        interrupted = Thread.interrupted();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt(); // an interrupted drain answers at once, flag kept
      }
    }
  }

  /** How many of the queue's tasks run now, on any node. */
  private long running() {
    return store.controls().running(queue);
  }

  private void publish(EventType type, Instant at, String message) {
    if (events.active()) {
      events.publish(new TaskEvent(type, 0, queue, null, 0, 0, 0, message, at, null));
    }
  }
}
