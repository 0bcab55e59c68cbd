package io.errand.spi;

import io.errand.api.HistoryBucket;
import io.errand.api.InvalidTaskException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A store's history of what each queue did, one {@link HistoryBucket} per queue and whole
 * minute. Every node adds what it counted ({@link #add}); a shared store sums what all nodes
 * added into the same rows, so a read on any node sees the cluster. It is bounded: the engine
 * removes the buckets older than {@link #KEPT} ({@link #prune}), so it holds at most
 * {@code queues × KEPT / 1 min} rows whatever the number of tasks.
 */
public interface TaskHistory {
  /** The width of a stored bucket. */
  Duration BUCKET = Duration.ofMinutes(1);

  /** How long buckets are kept: a day and an hour, so that a day's chart is always whole. */
  Duration KEPT = Duration.ofHours(25);

  /**
   * Adds each of {@code deltas} into the stored bucket of its queue and start (made when there
   * is none): counts and totals summed, maxima the larger. Atomic per bucket against other
   * nodes' adds.
   *
   * @throws IllegalArgumentException if a delta's start is not a whole minute
   */
  void add(List<HistoryBucket> deltas);

  /**
   * The stored buckets starting in {@code [from, to)}, of {@code queue} (null: every queue),
   * by queue then start. Empty buckets are not stored, so minutes with nothing are missing.
   */
  List<HistoryBucket> read(String queue, Instant from, Instant to);

  /** Removes the buckets that start before {@code before}; returns how many. */
  int prune(Instant before);

  /**
   * Checks a delta's start as {@link #add} takes it.
   *
   * @throws IllegalArgumentException if it is not a whole minute
   */
  static void checkStart(HistoryBucket b) {
    if (!b.start().truncatedTo(ChronoUnit.MINUTES).equals(b.start())) {
      throw new IllegalArgumentException("a history bucket starts on a whole minute, "
          + b.queue() + "'s started at " + b.start());
    }
  }

  /**
   * Checks a range as {@link #read} takes it.
   *
   * @throws InvalidTaskException if {@code from} is not before {@code to}
   */
  static void checkRange(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new InvalidTaskException("from (" + from + ") must be before to (" + to + ")");
    }
  }
}
