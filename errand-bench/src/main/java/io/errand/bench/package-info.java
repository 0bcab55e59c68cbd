/**
 * Benchmarks of Errand, each beside the {@code java.util.concurrent} code a user would write
 * instead, so that every result is a ratio measured in one run on one machine.
 *
 * <ul>
 *   <li>{@link io.errand.bench.ThroughputBenchmark}: no-op tasks per second with full tracking;
 *   <li>{@link io.errand.bench.LatencyBenchmark}: submit → handler start on an idle queue;
 *   <li>{@link io.errand.bench.CancelLatencyBenchmark}: cancel → handler stopped;
 *   <li>{@link io.errand.bench.WaitingTaskMemory}: heap bytes per waiting task (a plain main).
 * </ul>
 *
 * <p>{@link io.errand.bench.durable} holds the end-to-end runs of the durable SQLite store
 * against JobRunr and db-scheduler (issue 4).
 *
 * <p>See {@code docs/benchmarks.md} for the commands and the targets.
 */
package io.errand.bench;
