package io.errand.api;

import java.time.Duration;

/**
 * What a shutdown did, counted from the moment it began.
 *
 * @param succeeded tasks that finished with SUCCESS while draining
 * @param failed    tasks that finished with FAILURE while draining
 * @param cancelled tasks that were cancelled (the attempts left after the grace, and, with the
 *                  memory store, the tasks that never started)
 * @param requeued  running tasks put back to WAITING to run after the restart (durable stores;
 *                  their attempt is not charged)
 * @param abandoned attempts that did not stop within their cancel grace
 * @param waiting   tasks left WAITING in a durable store, to run after the restart
 * @param keysStopped supervised keys whose instance was stopped (abandoned ones included)
 * @param took      how long the shutdown took
 */
public record ShutdownReport(long succeeded, long failed, long cancelled, long requeued,
    long abandoned, long waiting, long keysStopped, Duration took) {

  @Override
  public String toString() {
    return "shutdown took " + took.toMillis() + " ms: " + succeeded + " succeeded, " + failed
        + " failed, " + cancelled + " cancelled, " + requeued + " requeued, " + abandoned
        + " abandoned, " + waiting + " left waiting, " + keysStopped + " supervised keys stopped";
  }
}
