package io.errand.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Backoff;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The retry example of docs/testing.md: a flaky call that succeeds on its third attempt, with a
 * minute of backoff between attempts, tested without a sleep.
 */
class RetryExampleTest {
  record Invoice(String customer, long cents) {}

  /** The service under test: fails twice, then answers. */
  static final class FlakyBilling {
    final AtomicInteger calls = new AtomicInteger();

    String charge(Invoice invoice) {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("billing service unavailable");
      }
      return "charged " + invoice.customer();
    }
  }

  final FlakyBilling billing = new FlakyBilling();

  @RegisterExtension
  final ErrandExtension errand = ErrandExtension.builder()
      .queue(QueueSpec.builder("billing", Invoice.class, String.class,
              ctx -> billing.charge(ctx.args()))
          .attempts(3)
          .backoff(Backoff.fixed(Duration.ofMinutes(1)))
          .build())
      .build();

  @Test
  void aFailedChargeIsRetriedAfterItsBackoffUntilItSucceeds(TestErrand t) {
    long id = t.errand().submit("billing", new Invoice("ada", 1_200));

    t.drain("billing"); // the first attempt ran and failed; the retry waits a minute
    assertThat(billing.calls).hasValue(1);
    assertThat(t.errand().get(id).orElseThrow().status()).isEqualTo(TaskStatus.WAITING);

    t.advance(Duration.ofSeconds(59)); // not due yet
    assertThat(billing.calls).hasValue(1);

    t.advance(Duration.ofMinutes(5)); // runs attempt 2 at +1 min and attempt 3 at +2 min
    TaskInfo done = t.errand().get(id).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(done.attempt()).isEqualTo(3);
    assertThat(done.response()).isEqualTo("charged ada");
    assertThat(done.errors()).hasSize(2);
    assertThat(done.startedAt()).isEqualTo(Instant.parse("2026-01-01T00:02:00Z")); // its time
    assertThat(t.clock().instant()).isEqualTo(Instant.parse("2026-01-01T00:05:59Z"));
  }
}
