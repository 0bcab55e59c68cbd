package io.errand.api;

/**
 * Thrown by {@link TaskContext#checkpoint()} when the running attempt must stop: it was
 * cancelled, it timed out, or (with a durable store) Errand is shutting down and the task will
 * run again after the restart. Handlers let it propagate; the engine records the right outcome.
 */
public final class TaskStoppedException extends ErrandException {
  private static final long serialVersionUID = 1L;
  private final StopCause cause;

  /** The attempt stops because of {@code cause}, explained by {@code reason}. */
  public TaskStoppedException(StopCause cause, String reason) {
    super("task_stopped", reason);
    this.cause = cause;
  }

  /** Why the attempt must stop. */
  public StopCause stopCause() {
    return cause;
  }

  /** The reasons an attempt is asked to stop. */
  public enum StopCause {
    /** Someone cancelled the task. */
    CANCELLED,
    /** The attempt ran past the queue's time-out. */
    TIMEOUT,
    /** Errand is shutting down. */
    SHUTDOWN
  }
}
