package io.errand.api;

/**
 * The aggregate status of a batch or chain.
 *
 * @param group     the group id
 * @param total     tasks in the group
 * @param waiting   of them WAITING
 * @param running   of them RUNNING
 * @param succeeded of them SUCCESS
 * @param failed    of them FAILURE
 * @param cancelled of them CANCELLED
 */
public record BatchStatus(long group, long total, long waiting, long running, long succeeded,
    long failed, long cancelled) {

  /** Tasks that reached a terminal status. */
  public long finished() {
    return succeeded + failed + cancelled;
  }

  /** Whether every task finished. */
  public boolean isFinished() {
    return finished() == total;
  }

  /** Finished tasks as a percentage of all, 0 to 100. */
  public double percent() {
    return total == 0 ? 100.0 : 100.0 * finished() / total;
  }
}
