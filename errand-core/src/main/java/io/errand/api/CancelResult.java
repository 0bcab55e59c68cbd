package io.errand.api;

/**
 * What a cancel did. The cases are closed: switch over them.
 *
 * <ul>
 *   <li>{@link Cancelled}: the task was waiting and is now CANCELLED;
 *   <li>{@link Stopping}: the task is running; it has been asked to stop and will be recorded
 *       CANCELLED when it stops, or when its cancel grace runs out;
 *   <li>{@link AlreadyFinished}: nothing to do, it ended with {@code status};
 *   <li>{@link Unknown}: no such task (never existed, or removed after its retention).
 * </ul>
 */
public sealed interface CancelResult {
  /** The task was waiting and is now CANCELLED. */
  record Cancelled(long id) implements CancelResult {}

  /** The task was running and is stopping; await it to see it CANCELLED. */
  record Stopping(long id) implements CancelResult {}

  /** The task had already finished with {@code status}. */
  record AlreadyFinished(long id, TaskStatus status) implements CancelResult {}

  /** No task has this id. */
  record Unknown(long id) implements CancelResult {}
}
