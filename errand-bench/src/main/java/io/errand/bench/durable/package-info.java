/**
 * End-to-end benchmarks of the durable store (issue 4), plain {@code main}s rather than JMH:
 *
 * <ul>
 *   <li>{@link io.errand.bench.durable.DurableThroughput}: submit → run a no-op → terminal state
 *       committed, for Errand on {@code SqliteStore} and for JobRunr and db-scheduler on SQLite
 *       (their defaults, and a single pooled connection) and on PostgreSQL, each run in its own
 *       JVM ({@link io.errand.bench.durable.EndToEnd}), with executions counted per task and
 *       lock errors counted from the logs;
 *   <li>{@link io.errand.bench.durable.SubmitLatency}: time for {@code errand.submit} (which
 *       returns after its commit) under 1, 4 and 16 submitting threads, FULL and NORMAL;
 *   <li>{@link io.errand.bench.durable.RetentionRun}: file, WAL and live heap over a long
 *       steady load with a short retention.
 * </ul>
 *
 * <p>See {@code docs/benchmarks.md} §8 for the commands and the figures.
 */
package io.errand.bench.durable;
