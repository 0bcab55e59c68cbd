package io.errand;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.InvalidSpecException;
import io.errand.api.QueueSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad specs fail when built, naming the setting, the value and what is allowed. */
class SpecValidationTest {

  private static QueueSpec.Builder<Object, Object> spec() {
    return QueueSpec.builder("q", Object.class, ctx -> null);
  }

  @Test
  void zeroWorkers() {
    assertThatThrownBy(() -> spec().workers(0).build()).isInstanceOf(InvalidSpecException.class)
        .hasMessage("queue 'q': workers must be between 1 and 100000, was 0");
  }

  @Test
  void negativeOrZeroTimeouts() {
    assertThatThrownBy(() -> spec().timeout(Duration.ofSeconds(-1)).build())
        .hasMessage("queue 'q': timeout must be positive and at most 36525 days (100 years)"
            + " (or null for no time-out), was PT-1S");
    assertThatThrownBy(() -> spec().timeout(Duration.ZERO).build())
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> spec().cancelGrace(Duration.ZERO).build())
        .hasMessage("queue 'q': cancelGrace must be positive and at most 36525 days (100 years),"
            + " was PT0S");
  }

  @Test
  void attemptsBelowOne() {
    assertThatThrownBy(() -> spec().attempts(0).build())
        .hasMessage("queue 'q': attempts must be >= 1, was 0");
  }

  @Test
  void capacityBelowOne() {
    assertThatThrownBy(() -> spec().capacity(-5).build())
        .hasMessage("queue 'q': capacity must be >= 1, was -5");
  }

  @Test
  void nullHandlerAndBadName() {
    assertThatThrownBy(() -> QueueSpec.builder("q", Object.class, null).build())
        .hasMessage("queue 'q': handler must be a TaskHandler, was null");
    assertThatThrownBy(() -> QueueSpec.builder("no spaces", Object.class, ctx -> null).build())
        .hasMessageContaining("queue name must be 1-64 letters")
        .hasMessageContaining("'no spaces'");
  }

  @Test
  void duplicateQueueNames() {
    assertThatThrownBy(() -> Errand.builder().queue(spec().build()).queue(spec().build()).build())
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage("queue 'q' is declared twice; queue and supervisor names must be unique");
  }

  @Test
  void eventBufferOutOfRange() {
    assertThatThrownBy(() -> Errand.builder().eventBuffer(8).build())
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage("eventBuffer must be between 16 and 67108864, was 8");
  }

  @Test
  void executorQueuesNeedTheMemoryStore() {
    assertThatThrownBy(() -> Errand.builder()
        .store(DurableView.of(new io.errand.memory.MemoryStore()))
        .queue(QueueSpec.forExecutor("jobs").build()).build())
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("queue 'jobs' is an executor queue")
        .hasMessageContaining("memory store");
  }

  @Test
  void badBackoffs() {
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofSeconds(-1)))
        .hasMessage("backoff delay must be >= 0 and at most 36525 days (100 years), was PT-1S");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
        .hasMessage("backoff max must be >= initial (PT2S), was PT1S");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), 2))
        .hasMessage("backoff jitter must be between 0 and 1, was 2.0");
  }

  @Test
  void durationsBeyondAHundredYearsAreRefusedBeforeAnyTimeIsComputedFromThem() {
    // a time-out, grace or backoff of Long.MAX_VALUE seconds overflowed the deadline (Instant)
    // or the park (a long of nanoseconds) computed from it, at run time, in a worker
    Duration far = Duration.ofSeconds(Long.MAX_VALUE);
    Duration justOver = Duration.ofDays(36_525).plusNanos(1);
    for (Duration d : java.util.List.of(far, justOver)) {
      assertThatThrownBy(() -> spec().timeout(d).build()).isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("timeout must be positive and at most 36525 days (100 years)");
      assertThatThrownBy(() -> spec().cancelGrace(d).build())
          .hasMessageContaining("cancelGrace must be positive and at most 36525 days");
      assertThatThrownBy(() -> spec().retention(d).build())
          .hasMessageContaining("retention must be positive and at most 36525 days");
      assertThatThrownBy(() -> Backoff.fixed(d))
          .hasMessageContaining("backoff delay must be >= 0 and at most 36525 days");
      assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(1), d, 0))
          .hasMessageContaining("backoff max must be at most 36525 days");
      assertThatThrownBy(() -> io.errand.api.SupervisorSpec.builder("s", Object.class,
          ctx -> { }).heartbeatTimeout(d).build())
          .hasMessageContaining("heartbeatTimeout must be positive and at most 36525 days");
      assertThatThrownBy(() -> Errand.builder().shutdownGrace(d).build())
          .hasMessageContaining("shutdownGrace must be >= 0 and at most 36525 days");
    }
    Duration longest = Duration.ofDays(36_525);
    spec().timeout(longest).cancelGrace(longest).retention(longest)
        .backoff(Backoff.exponential(Duration.ofSeconds(1), longest, 0.5)).build();
  }
}
