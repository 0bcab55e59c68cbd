package io.errand.test;

/** Where a {@link TestErrand}'s handlers run. */
public enum ExecutionMode {
  /**
   * On the queues' own workers, as in production: a submit returns at once, and
   * {@link TestErrand#drain}, {@link TestErrand#awaitIdle} and {@link TestErrand#advance} wait
   * for the work they let run.
   */
  WORKERS,
  /**
   * On the test's thread: a submit through {@link TestErrand#errand()} returns once the task and
   * whatever became due meanwhile have run (or wait for a retry or a delay), and
   * {@link TestErrand#advance} runs what comes due on the test's thread too. Handlers run one at
   * a time; thread-locals and the caller's transaction are theirs to see.
   */
  INLINE
}
