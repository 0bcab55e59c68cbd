package io.errand.api;

/**
 * A queue's figures at one moment (Yao's queue length, active workers, success and error rate,
 * average run time). Counters count since start of this Errand. A task's end is counted just
 * after the store recorded it, so a caller who sees the task finished ({@code get},
 * {@code await}) may read figures taken a moment before they count it.
 *
 * @param queue      the queue
 * @param workers    its configured workers
 * @param waiting    tasks waiting now (in the store)
 * @param running    attempts running now in this process
 * @param submitted  tasks this process added to the queue (submits, batches, chains; a submit
 *                   answered with a live task's id under its unique key adds none)
 * @param succeeded  tasks finished with SUCCESS
 * @param failed     tasks finished with FAILURE
 * @param cancelled  tasks finished with CANCELLED
 * @param retried    attempts that failed and were retried
 * @param abandoned  attempts that did not stop within their cancel grace
 * @param runTime    how long attempts ran
 * @param waitTime   how long tasks waited from due to start
 * @param throughput tasks finished per second over the last minute
 */
public record QueueMetrics(String queue, int workers, long waiting, long running,
    long submitted, long succeeded, long failed, long cancelled, long retried, long abandoned,
    LatencySummary runTime, LatencySummary waitTime, double throughput) {

  /** Tasks finished in any way. */
  public long finished() {
    return succeeded + failed + cancelled;
  }

  /** Succeeded over succeeded + failed, or 1 when none finished. */
  public double successRate() {
    long done = succeeded + failed;
    return done == 0 ? 1.0 : (double) succeeded / done;
  }

  /** Failed over succeeded + failed, or 0 when none finished. */
  public double errorRate() {
    long done = succeeded + failed;
    return done == 0 ? 0.0 : (double) failed / done;
  }
}
