package io.errand.engine;

import io.errand.api.QueueMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** One queue's counters, timings and throughput window. Written by workers, lock-free. */
final class QueueStats {
  private static final int WINDOW_SECONDS = 60;
  private static final int SLOTS = 64;

  final LongAdder succeeded = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder cancelled = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder abandoned = new LongAdder();
  final AtomicInteger running = new AtomicInteger();
  final Histogram runTime = new Histogram();
  final Histogram waitTime = new Histogram();
  private final AtomicLongArray slotCounts = new AtomicLongArray(SLOTS);
  private final AtomicLongArray slotSeconds = new AtomicLongArray(SLOTS);
  private final long startSecond;

  QueueStats(long nowSecond) {
    this.startSecond = nowSecond;
  }

  /** Counts one finished task in the throughput window of second {@code nowSecond}. */
  void finishedAt(long nowSecond) {
    int slot = (int) (nowSecond & (SLOTS - 1));
    long stamp = slotSeconds.get(slot);
    if (stamp != nowSecond && slotSeconds.compareAndSet(slot, stamp, nowSecond)) {
      slotCounts.set(slot, 0);
    }
    slotCounts.incrementAndGet(slot);
  }

  QueueMetrics snapshot(String queue, int workers, long waiting, long nowSecond) {
    long inWindow = 0;
    for (int i = 0; i < SLOTS; i++) {
      long s = slotSeconds.get(i);
      if (s > nowSecond - WINDOW_SECONDS && s <= nowSecond) {
        inWindow += slotCounts.get(i);
      }
    }
    long span = Math.max(1, Math.min(WINDOW_SECONDS, nowSecond - startSecond + 1));
    return new QueueMetrics(queue, workers, waiting, running.get(), succeeded.sum(),
        failed.sum(), cancelled.sum(), retried.sum(), abandoned.sum(), runTime.summary(),
        waitTime.summary(), (double) inWindow / span);
  }
}
