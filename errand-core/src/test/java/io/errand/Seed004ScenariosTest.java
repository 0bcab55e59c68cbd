package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.InvalidTaskException;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test suite of Yao's task pools (seed 004), re-enacted on Errand. */
class Seed004ScenariosTest {

  record Job(int n, int steps) {}

  @Test
  void basic_waitingThenRunningWithProgressThenSuccess() {
    Gate step = new Gate();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("example", Job.class, ctx -> {
          ctx.progress(1, 2, "first half");
          step.pass();
          ctx.progress(2, 2, "done");
          return Map.of("n", ctx.args().n());
        }).workers(1).build())
        .build()) {
      long id = errand.submit("example", new Job(7, 2));
      assertThat(id).isPositive();

      await().until(() -> errand.get(id).orElseThrow().current() == 1);
      TaskInfo running = errand.get(id).orElseThrow();
      assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
      assertThat(running.total()).isEqualTo(2);
      assertThat(running.message()).isEqualTo("first half");
      step.open();
      TaskInfo done = Await.finished(errand, id);

      assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(done.current()).isEqualTo(2);
      assertThat(done.response()).isEqualTo(Map.of("n", 7));
      assertThat(done.createdAt()).isBeforeOrEqualTo(done.startedAt());
      assertThat(done.startedAt()).isBeforeOrEqualTo(done.finishedAt());
    }
  }

  @Test
  void twentyConcurrentTasksAllRunAtOnceOnTwentyWorkers() {
    Gate gate = new Gate();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("example", Integer.class, ctx -> {
          peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
          gate.pass();
          concurrent.decrementAndGet();
          return ctx.args();
        }).workers(20).build())
        .build()) {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ids.add(errand.submit("example", i));
      }
      await().until(() -> peak.get() == 20);
      assertThat(errand.metrics("example").running()).isEqualTo(20);
      gate.open();
      for (int i = 0; i < 20; i++) {
        assertThat(Await.finished(errand, ids.get(i)).response()).isEqualTo(i);
      }
    }
  }

  @Test
  void progressSeenByAPollerNeverDecreases() {
    List<Long> seen = new CopyOnWriteArrayList<>();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("example", Object.class, ctx -> {
          for (int i = 1; i <= 2_000; i++) {
            ctx.progress(i, 2_000, "step " + i);
          }
          return null;
        }).build())
        .build()) {
      long id = errand.submit("example", null);
      while (!errand.get(id).orElseThrow().isFinished()) {
        seen.add(errand.get(id).orElseThrow().current());
      }
      assertThat(seen).isSorted();
      assertThat(Await.finished(errand, id).current()).isEqualTo(2_000);
    }
  }

  @Test
  void invalidArgumentsAreRefusedAtSubmitAndNothingIsAdded() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("example", Job.class, ctx -> null).build())
        .build()) {
      assertThatThrownBy(() -> errand.submit("example", "not a job"))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("queue 'example' takes arguments of type")
          .hasMessageContaining(Job.class.getName())
          .hasMessageContaining("java.lang.String");
      assertThat(errand.metrics("example").waiting()).isZero();
    }
  }

  @Test
  void aThrowingHandlerEndsInFailureWithItsMessage() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("example", Object.class, ctx -> {
          throw new IllegalArgumentException("bad input row 3");
        }).build())
        .build()) {
      TaskInfo done = Await.finished(errand, errand.submit("example", null));
      assertThat(done.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(done.message()).isEqualTo("bad input row 3");
      // counted just after the store recorded the end, which the awaiter may see first
      await().untilAsserted(() ->
          assertThat(errand.metrics("example").errorRate()).isEqualTo(1.0));
    }
  }

  @Test
  void aHandlerPastItsTimeoutFails() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("example", Object.class, ctx -> {
          Thread.sleep(Duration.ofMinutes(5));
          return null;
        }).timeout(Duration.ofMillis(50)).build())
        .build()) {
      TaskInfo done = Await.finished(errand, errand.submit("example", null));
      assertThat(done.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(done.lastError().orElseThrow().type()).isEqualTo("timeout");
      assertThat(done.message()).isEqualTo("timed out after 50ms");
    }
  }

  @Test
  void stress_1000TasksOn20Workers() {
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("stress", Integer.class, ctx -> {
          runs.computeIfAbsent(ctx.id(), k -> new AtomicInteger()).incrementAndGet();
          peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
          try {
            Thread.sleep(ctx.args() % 3); // a little real work of varied length
            return ctx.args();
          } finally {
            concurrent.decrementAndGet();
          }
        }).workers(20).capacity(1_000).build())
        .build()) {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        ids.add(errand.submit("stress", i));
      }
      for (int i = 0; i < ids.size(); i++) {
        TaskInfo t = Await.finished(errand, ids.get(i));
        assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(t.response()).isEqualTo(i);
      }
      assertThat(runs).hasSize(1_000).allSatisfy((id, n) -> assertThat(n).hasValue(1));
      assertThat(peak.get()).isLessThanOrEqualTo(20);
      // A task's end is counted just after the store recorded it, which awaiters can see first.
      await().untilAsserted(() -> {
        var m = errand.metrics("stress");
        assertThat(m.succeeded()).isEqualTo(1_000);
        assertThat(m.successRate()).isEqualTo(1.0);
        assertThat(m.runTime().count()).isEqualTo(1_000);
        assertThat(m.runTime().p99()).isGreaterThanOrEqualTo(m.runTime().p50());
        assertThat(m.throughput()).isPositive();
      });
    }
  }
}
