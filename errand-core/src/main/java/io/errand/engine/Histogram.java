package io.errand.engine;

import io.errand.api.LatencySummary;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free log-linear histogram of nanosecond durations: 32 buckets per power of two, so a
 * reported percentile is within about 3% of the true value. Fixed size whatever the number of
 * samples. Writers are spread over a few stripes by thread, so workers on different cores do not
 * fight over one cache line for every task (most no-op tasks land in the same bucket).
 */
final class Histogram {
  private static final int SUB_BITS = 5;
  private static final int SUB_COUNT = 1 << SUB_BITS;
  private static final int BUCKETS = 64 * SUB_COUNT;
  private static final int STRIPES = 4;
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS * STRIPES);
  private final AtomicLongArray sums = new AtomicLongArray(STRIPES * 8); // one per cache line
  private final AtomicLong max = new AtomicLong();

  /** Records {@code nanos}; {@code stripe} (any int, e.g. the worker's number) spreads writers. */
  void record(long nanos, int stripe) {
    long v = Math.max(0, nanos);
    int s = stripe & (STRIPES - 1);
    counts.getAndIncrement(s * BUCKETS + index(v));
    sums.getAndAdd(s * 8, v);
    long m = max.getPlain();
    if (v > m) {
      while (v > m && !max.compareAndSet(m, v)) {
        m = max.get();
      }
    }
  }

  LatencySummary summary() {
    long[] snapshot = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < counts.length(); i++) {
      long c = counts.get(i);
      snapshot[i % BUCKETS] += c;
      total += c;
    }
    if (total == 0) {
      return LatencySummary.EMPTY;
    }
    long n = total;
    long sum = 0;
    for (int i = 0; i < STRIPES; i++) {
      sum += sums.get(i * 8);
    }
    return new LatencySummary(n, Duration.ofNanos(sum / n),
        Duration.ofNanos(percentile(snapshot, total, 0.50)),
        Duration.ofNanos(percentile(snapshot, total, 0.95)),
        Duration.ofNanos(percentile(snapshot, total, 0.99)), Duration.ofNanos(max.get()));
  }

  private static long percentile(long[] snapshot, long total, double q) {
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < snapshot.length; i++) {
      seen += snapshot[i];
      if (seen >= rank) {
        return (lowerBound(i) + lowerBound(i + 1)) / 2;
      }
    }
    return lowerBound(snapshot.length - 1);
  }

  static int index(long v) {
    if (v < SUB_COUNT) {
      return (int) v;
    }
    int msb = 63 - Long.numberOfLeadingZeros(v);
    int shift = msb - SUB_BITS;
    int sub = (int) ((v >>> shift) & (SUB_COUNT - 1));
    return ((shift + 1) << SUB_BITS) + sub;
  }

  static long lowerBound(int index) {
    int exp = index >>> SUB_BITS;
    long sub = index & (SUB_COUNT - 1);
    return exp == 0 ? sub : (SUB_COUNT + sub) << (exp - 1);
  }
}
