package io.errand.api;

/**
 * The work of a queue. Runs once per attempt, on a worker thread (virtual by default).
 *
 * <p>A handler that returns normally succeeds with its result (which may be null). A handler
 * that throws fails the attempt: the task is retried while attempts are left, unless the
 * exception is a {@link NonRetryableException}. Long handlers should call
 * {@link TaskContext#checkpoint()} now and then, or register {@link TaskContext#onCancel}, so
 * that cancel, time-out and shutdown stop them promptly.
 *
 * @param <A> the type of the task's arguments
 * @param <R> the type of its result
 */
@FunctionalInterface
public interface TaskHandler<A, R> {
  /**
   * Does the work of one attempt.
   *
   * @param ctx the task's arguments, progress, cancel and deadline
   * @return the task's result (its response)
   * @throws Exception when the attempt fails: retried while attempts are left, unless it is a
   *                   {@link NonRetryableException}
   */
  R run(TaskContext<A> ctx) throws Exception;
}
