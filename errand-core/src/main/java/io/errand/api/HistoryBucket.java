package io.errand.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What one queue did in one span of time, summed over every node that wrote it: the tasks that
 * ended SUCCESS and FAILURE, the attempts started (with the time each waited past its due
 * time) and the attempts that ran to an end (with how long each ran). Times are whole
 * milliseconds; a total divided by its count is the mean, and the max is the longest one.
 *
 * @param queue        the queue
 * @param start        the span's start, a whole minute
 * @param succeeded    tasks that ended SUCCESS in the span
 * @param failed       tasks that ended FAILURE in the span
 * @param started      attempts started in the span
 * @param waitMillis   the total time those attempts waited after they were due
 * @param waitMaxMillis the longest of those waits
 * @param ran          attempts that ended in the span (whatever their outcome)
 * @param runMillis    the total time those attempts ran
 * @param runMaxMillis the longest of those runs
 */
public record HistoryBucket(String queue, Instant start, long succeeded, long failed,
    long started, long waitMillis, long waitMaxMillis, long ran, long runMillis,
    long runMaxMillis) {

  /**
   * Checks the queue and start are given and no count is negative.
   *
   * @throws IllegalArgumentException for a negative count or time
   */
  public HistoryBucket {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(start, "start");
    if (succeeded < 0 || failed < 0 || started < 0 || waitMillis < 0 || waitMaxMillis < 0
        || ran < 0 || runMillis < 0 || runMaxMillis < 0) {
      throw new IllegalArgumentException("a history bucket's counts and times must be >= 0: "
          + queue + " at " + start);
    }
  }

  /** An empty bucket of {@code queue} starting at {@code start}. */
  public static HistoryBucket empty(String queue, Instant start) {
    return new HistoryBucket(queue, start, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** This bucket and {@code other} summed (maxima: the larger), under this one's queue and start. */
  public HistoryBucket plus(HistoryBucket other) {
    return new HistoryBucket(queue, start, succeeded + other.succeeded, failed + other.failed,
        started + other.started, waitMillis + other.waitMillis,
        Math.max(waitMaxMillis, other.waitMaxMillis), ran + other.ran,
        runMillis + other.runMillis, Math.max(runMaxMillis, other.runMaxMillis));
  }

  /** Whether nothing was counted in it. */
  public boolean isEmpty() {
    return succeeded == 0 && failed == 0 && started == 0 && ran == 0;
  }
}
