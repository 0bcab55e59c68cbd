package io.errand.api;

import java.time.Duration;

/**
 * Thrown by {@link TaskContext#snooze(Duration)} to unwind the handler once the snooze is
 * recorded. Handlers let it propagate; the engine puts the task back to WAITING until the delay
 * has passed, its attempt not charged. Catching it changes nothing: the decision was recorded
 * before it was thrown.
 */
public final class TaskSnoozedException extends ErrandException {
  private static final long serialVersionUID = 1L;
  private final Duration delay;

  /** The handler snoozed its task for {@code delay}. */
  public TaskSnoozedException(Duration delay) {
    super("task_snoozed", "the handler snoozed its task for " + delay);
    this.delay = delay;
  }

  /** How long the task waits before it runs again. */
  public Duration delay() {
    return delay;
  }
}
