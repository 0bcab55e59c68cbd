package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.Errand;
import io.errand.api.InvalidSpecException;
import io.errand.api.QueueSpec;
import io.errand.api.TaskStatus;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A queue's global concurrency limit through the engine, on the memory store. */
class ConcurrencyLimitTest {

  /**
   * Sixteen workers, a limit of 3: each handler counts itself in flight from its start to just
   * before it returns (a span inside its task's RUNNING time), and the most ever in flight
   * never passes 3, while the queue still uses its room.
   */
  @Test
  void sixteenWorkersNeverRunMoreThanTheLimit() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("limited", Integer.class, ctx -> {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // some work, overlapping
          inFlight.decrementAndGet();
          return ctx.args();
        }).workers(16).concurrency(3).build())
        .build()) {
      List<Long> ids = errand.submitBatch("limited", IntStream.range(0, 3000).boxed().toList())
          .ids();
      ids.forEach(id -> assertThat(Await.finished(errand, id).status())
          .isEqualTo(TaskStatus.SUCCESS));
    }
    assertThat(most.get()).as("most handlers in flight at once").isBetween(2, 3);
  }

  @Test
  void aConcurrencyBelowOneIsRefusedNamingTheSettingAndTheValue() {
    assertThatThrownBy(() -> QueueSpec.builder("q", Object.class, ctx -> null).concurrency(0)
        .build()).isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("concurrency must be >= 1 (leave it unset for no limit), was 0");
    assertThatThrownBy(() -> QueueSpec.builder("q", Object.class, ctx -> null).concurrency(-2)
        .build()).isInstanceOf(InvalidSpecException.class).hasMessageContaining("was -2");
    assertThat(QueueSpec.builder("q", Object.class, ctx -> null).build().concurrency()).isEmpty();
    assertThat(QueueSpec.builder("q", Object.class, ctx -> null).concurrency(4).build()
        .toBuilder().build().concurrency()).hasValue(4);
  }

  @Test
  void aTaskHeldBackByTheLimitOrAPauseWaitsAndItsQueueSaysWhy() throws Exception {
    Gate gate = new Gate();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("one", String.class, ctx -> {
          if ("block".equals(ctx.args())) {
            gate.pass();
          }
          return "done";
        }).workers(4).concurrency(1).build())
        .build()) {
      long running = errand.submit("one", "block");
      Await.status(errand, running, TaskStatus.RUNNING);
      long held = errand.submit("one", "next");
      assertThat(errand.control("one").holdReason())
          .contains("concurrency limit of queue 'one': 1 of 1 running");
      assertThat(errand.get(held).orElseThrow().status()).isEqualTo(TaskStatus.WAITING);

      errand.control("one").pause();
      assertThat(errand.control("one").holdReason().orElseThrow())
          .startsWith("queue 'one' is paused since ");
      errand.control("one").resume();
      gate.open();
      assertThat(Await.finished(errand, held).status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(errand.control("one").holdReason()).isEmpty();
    } finally {
      gate.open();
    }
  }
}
