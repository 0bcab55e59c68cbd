package io.errand.bench.durable;

import java.util.Map;

/**
 * One system under test in an end-to-end run: it stores each submitted task durably, runs it
 * (a no-op that counts its execution in {@link Executions}) and records its end.
 */
interface Subject extends AutoCloseable {
  /** Opens the store and starts processing. */
  void start() throws Exception;

  /** Submits task {@code task} (its argument); returns once the system has accepted it. */
  void submit(int task) throws Exception;

  /**
   * Tasks whose successful end is committed, read from the database: Errand's SUCCESS rows,
   * JobRunr's SUCCEEDED jobs, or for db-scheduler (which deletes a one-time task's row when it
   * completes) the submitted tasks whose rows are gone.
   */
  long succeeded(int submitted) throws Exception;

  /** The settings that matter for the report (workers, pool, polling), once started. */
  String describe();

  /** A breakdown of the database's rows by state, for the report. */
  Map<String, Long> states() throws Exception;

  /** Stops processing and releases the database. */
  @Override
  void close() throws Exception;
}
