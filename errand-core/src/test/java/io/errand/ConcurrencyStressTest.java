package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.CancelResult;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Real threads submitting and cancelling at once: no task lost, none run twice, and every
 * count adds up.
 */
class ConcurrencyStressTest {

  @Test
  void submitAndCancelFromManyThreadsLosesNothingAndRunsNothingTwice() throws Exception {
    int submitters = 4;
    int perSubmitter = 2_500;
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CancelResult> cancels = new ConcurrentLinkedQueue<>();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Integer.class, ctx -> {
          runs.computeIfAbsent(ctx.id(), k -> new AtomicInteger()).incrementAndGet();
          if (ctx.args() % 7 == 0) {
            Thread.sleep(1); // some tasks block, so cancels also reach running ones
          }
          return ctx.args();
        }).workers(8).capacity(submitters * perSubmitter).build())
        .build()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < submitters; s++) {
        threads.add(Thread.ofPlatform().start(() -> {
          awaitQuietly(go);
          for (int i = 0; i < perSubmitter; i++) {
            ids.add(errand.submit("q", i));
          }
        }));
      }
      for (int c = 0; c < 2; c++) {
        threads.add(Thread.ofPlatform().start(() -> {
          awaitQuietly(go);
          for (int i = 0; i < 3_000; i++) {
            Long[] known = ids.toArray(Long[]::new);
            if (known.length > 0) {
              long id = known[ThreadLocalRandom.current().nextInt(known.length)];
              cancels.add(errand.cancel(id, "stress"));
            }
          }
        }));
      }
      go.countDown();
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(60));
        assertThat(t.isAlive()).isFalse();
      }

      assertThat(ids).hasSize(submitters * perSubmitter).doesNotHaveDuplicates();
      List<TaskInfo> finals = new ArrayList<>();
      for (long id : ids) {
        finals.add(Await.finished(errand, id));
      }
      assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
      long succeeded = finals.stream().filter(t -> t.status() == TaskStatus.SUCCESS).count();
      long cancelled = finals.stream().filter(t -> t.status() == TaskStatus.CANCELLED).count();
      assertThat(succeeded + cancelled).isEqualTo(ids.size());
      assertThat(finals.stream().filter(t -> t.status() == TaskStatus.CANCELLED))
          .allSatisfy(t -> assertThat(t.cancelReason()).isEqualTo("stress"));
      // An attempt counts once its handler started, and only then: a task cancelled while it
      // waited, or after its claim but before its handler began, shows attempt 0.
      assertThat(finals).allSatisfy(t -> assertThat(t.attempt()).as("attempt of task %d", t.id())
          .isEqualTo(runs.containsKey(t.id()) ? 1 : 0));
      assertThat(cancels).noneMatch(r -> r instanceof CancelResult.Unknown);

      // A task's end is counted just after the store recorded it, which awaiters can see first.
      await().untilAsserted(() -> {
        var m = errand.metrics("q");
        assertThat(m.running()).isZero();
        assertThat(m.succeeded()).isEqualTo(succeeded);
        assertThat(m.cancelled()).isEqualTo(cancelled);
        assertThat(m.waiting()).isZero();
        assertThat(m.failed()).isZero();
      });
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
