package io.errand.engine;

import io.errand.api.QueueMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One queue's counters, timings and throughput window. Written by workers, lock-free.
 *
 * <p>Throughput needs no per-task write of its own: the first task to finish in a new second
 * stamps that second's cumulative count into a ring, and the rate is the difference between
 * now and the oldest stamp within the last minute.
 */
final class QueueStats {
  private static final int WINDOW_SECONDS = 60;
  private static final int SLOTS = 64;

  final LongAdder submitted = new LongAdder();
  final LongAdder succeeded = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder cancelled = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder abandoned = new LongAdder();
  final AtomicInteger running = new AtomicInteger();
  final Histogram runTime = new Histogram();
  final Histogram waitTime = new Histogram();
  private final AtomicLongArray stampSecond = new AtomicLongArray(SLOTS);
  private final AtomicLongArray stampFinished = new AtomicLongArray(SLOTS);
  private volatile long lastStamped;

  QueueStats(long nowSecond) {
    lastStamped = nowSecond;
    stampSecond.set((int) (nowSecond & (SLOTS - 1)), nowSecond);
  }

  /** Notes the time of a finished task (already counted in its outcome's counter). */
  void finishedAt(long nowSecond) {
    long last = lastStamped;
    if (nowSecond > last) {
      stamp(nowSecond, finishedTotal() - 1);
      lastStamped = nowSecond;
    }
  }

  private void stamp(long second, long finishedBefore) {
    int slot = (int) (second & (SLOTS - 1));
    stampSecond.set(slot, second);
    stampFinished.set(slot, finishedBefore);
  }

  private long finishedTotal() {
    return succeeded.sum() + failed.sum() + cancelled.sum();
  }

  QueueMetrics snapshot(String queue, int workers, long waiting, long nowSecond) {
    long total = finishedTotal();
    long oldestSecond = Long.MAX_VALUE;
    long oldestCount = total;
    for (int i = 0; i < SLOTS; i++) {
      long s = stampSecond.get(i);
      if (s > nowSecond - WINDOW_SECONDS && s <= nowSecond && s < oldestSecond) {
        oldestSecond = s;
        oldestCount = stampFinished.get(i);
      }
    }
    long span = oldestSecond == Long.MAX_VALUE ? 1 : Math.max(1, nowSecond - oldestSecond);
    return new QueueMetrics(queue, workers, waiting, running.get(), submitted.sum(),
        succeeded.sum(), failed.sum(), cancelled.sum(), retried.sum(), abandoned.sum(),
        runTime.summary(), waitTime.summary(), (double) (total - oldestCount) / span);
  }
}
