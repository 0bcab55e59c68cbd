package io.errand.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EpochMicrosTest {
  @Test
  void keepsInstantsToTheMicrosecondBothWays() {
    Instant t = Instant.parse("2030-01-01T09:00:00.123456789Z");
    long micros = EpochMicros.of(t);

    assertThat(micros).isEqualTo(1_893_488_400_123_456L);
    assertThat(EpochMicros.instant(micros)).isEqualTo(Instant.parse("2030-01-01T09:00:00.123456Z"));
    assertThat(EpochMicros.instant(EpochMicros.of(Instant.parse("1969-12-31T23:59:59.5Z"))))
        .isEqualTo(Instant.parse("1969-12-31T23:59:59.5Z"));
  }

  @Test
  void saturatesInsteadOfOverflowingBeyondWhatALongHolds() {
    assertThat(EpochMicros.of(Instant.MAX)).isEqualTo(EpochMicros.MAX);
    assertThat(EpochMicros.of(Instant.MIN)).isEqualTo(EpochMicros.MIN);
    assertThat(EpochMicros.of(Instant.parse("+300000-01-01T00:00:00Z"))).isEqualTo(EpochMicros.MAX);
    // the last whole second a long holds, with a fraction that would carry past it
    Instant edge = Instant.ofEpochSecond(Long.MAX_VALUE / 1_000_000L, 999_999_000);
    assertThat(EpochMicros.of(edge)).isEqualTo(EpochMicros.MAX);
    assertThat(EpochMicros.of(Instant.ofEpochSecond(Long.MIN_VALUE / 1_000_000L)))
        .isEqualTo(Long.MIN_VALUE / 1_000_000L * 1_000_000L);
    assertThat(EpochMicros.instant(Long.MAX_VALUE)).isAfter(Instant.parse("+290000-01-01T00:00:00Z"));
  }
}
