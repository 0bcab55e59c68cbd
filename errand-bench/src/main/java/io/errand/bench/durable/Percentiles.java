package io.errand.bench.durable;

import java.util.Arrays;

/** Percentiles of recorded durations by sorting them: exact, and enough for 10^5 samples. */
final class Percentiles {
  private final long[] sorted;

  Percentiles(long[] samples) {
    this.sorted = samples.clone();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** The smallest sample that at least {@code q} (0 &lt; q &lt;= 1) of the samples do not exceed. */
  long at(double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  long max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }
}
