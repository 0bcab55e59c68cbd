package io.errand.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A task seen through its queue's types ({@link TaskQueue}): its snapshot, its arguments as
 * {@code A} and, once it succeeded, its result as {@code R}. The same on every store: results
 * read back from SQLite or PostgreSQL are decoded to {@code R} with the Errand's
 * {@code ObjectMapper}, and the memory store hands back the same decoded copies.
 *
 * @param info   the task's snapshot, untyped
 * @param args   its arguments
 * @param result its result when it succeeded (null for a handler that returned null), else null
 * @param <A>    the queue's argument type
 * @param <R>    the queue's result type
 */
public record TaskResult<A, R>(TaskInfo info, A args, R result) {
  /** Checks the snapshot is given. */
  public TaskResult {
    Objects.requireNonNull(info, "info");
  }

  /** The task's id. */
  public long id() {
    return info.id();
  }

  /** The task's status. */
  public TaskStatus status() {
    return info.status();
  }

  /** Whether the task succeeded. */
  public boolean succeeded() {
    return info.status() == TaskStatus.SUCCESS;
  }

  /** The error of its last failed attempt, if one failed. */
  public Optional<TaskError> lastError() {
    return info.lastError();
  }

  /**
   * The result of a task that succeeded.
   *
   * @throws IllegalStateException naming the status and the last error, if it did not succeed
   */
  public R resultOrThrow() {
    if (!succeeded()) {
      throw new IllegalStateException("task " + info.id() + " of queue '" + info.queue()
          + "' has no result: it is " + info.status()
          + lastError().map(e -> " (last error: " + e.type() + ": " + e.message() + ")")
              .orElse(info.cancelReason() == null ? "" : " (" + info.cancelReason() + ")"));
    }
    return result;
  }
}
