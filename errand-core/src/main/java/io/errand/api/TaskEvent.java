package io.errand.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One event, delivered to listeners after the fact and never on a worker's critical path.
 *
 * @param type    what happened
 * @param taskId  the task (or, for {@link EventType#BATCH_FINISHED}, the group)
 * @param queue   its queue
 * @param status  the task's status after the event
 * @param attempt the attempt it concerns
 * @param current progress so far
 * @param total   progress goal
 * @param message the progress message, error or cancel reason; never null
 * @param at      when it happened
 * @param key     the task's unique key or the supervised key, or null
 * @param seq     its number in the cluster's event log (a store shared by nodes: the same on
 *                every node, increasing in the order events are delivered), or 0 for an event
 *                that only this process knows of
 */
public record TaskEvent(EventType type, long taskId, String queue, TaskStatus status,
    int attempt, long current, long total, String message, Instant at, String key, long seq) {
  /**
   * Checks the type and time are given; takes a null message as empty.
   *
   * @throws NullPointerException if {@code type} or {@code at} is null
   * @throws IllegalArgumentException if {@code seq} is negative
   */
  public TaskEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0, was " + seq);
    }
    message = message == null ? "" : message;
  }

  /**
   * An event of this process only (not in a cluster's event log: {@code seq} 0).
   *
   * @throws NullPointerException if {@code type} or {@code at} is null
   */
  public TaskEvent(EventType type, long taskId, String queue, TaskStatus status, int attempt,
      long current, long total, String message, Instant at, String key) {
    this(type, taskId, queue, status, attempt, current, total, message, at, key, 0);
  }
}
