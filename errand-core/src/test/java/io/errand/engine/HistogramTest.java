package io.errand.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.errand.api.LatencySummary;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class HistogramTest {

  @Test
  void bucketsRoundTripTheirLowerBounds() {
    for (long v : new long[] {0, 1, 31, 32, 33, 63, 64, 100, 1_000, 123_456_789L, Long.MAX_VALUE / 3}) {
      int i = Histogram.index(v);
      assertThat(Histogram.lowerBound(i)).isLessThanOrEqualTo(v);
      assertThat(Histogram.lowerBound(i + 1)).isGreaterThan(v);
    }
  }

  @Test
  void percentilesOfAUniformSampleAreWithinThreePercent() {
    Histogram h = new Histogram();
    long[] values = new long[100_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = 1_000 + ThreadLocalRandom.current().nextLong(1_000_000);
      h.record(values[i], i);
    }
    java.util.Arrays.sort(values);
    LatencySummary s = h.summary();
    assertThat(s.count()).isEqualTo(values.length);
    assertThat((double) s.p50().toNanos()).isCloseTo(values[49_999], within(values[49_999] * 0.03));
    assertThat((double) s.p99().toNanos()).isCloseTo(values[98_999], within(values[98_999] * 0.03));
    assertThat(s.max().toNanos()).isEqualTo(values[values.length - 1]);
  }

  @Test
  void emptyHistogramSummarisesAsEmpty() {
    assertThat(new Histogram().summary()).isEqualTo(LatencySummary.EMPTY);
  }
}
