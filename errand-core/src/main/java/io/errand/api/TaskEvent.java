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
 */
public record TaskEvent(EventType type, long taskId, String queue, TaskStatus status,
    int attempt, long current, long total, String message, Instant at, String key) {
  /** Checks the type and time are given; takes a null message as empty. */
  public TaskEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    message = message == null ? "" : message;
  }
}
