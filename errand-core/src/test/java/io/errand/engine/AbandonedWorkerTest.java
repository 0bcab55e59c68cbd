package io.errand.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.ShutdownReport;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A worker whose handler ignores a stop is abandoned and replaced; from then on nothing waits
 * for it (it may never return), and when it does return it leaves without claiming.
 */
class AbandonedWorkerTest {
  @Test
  void aRetiredWorkerIsNotCountedLiveAndLeavesWhenItsHandlerFinallyReturns() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> stuck = new AtomicReference<>();
    Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          stuck.set(Thread.currentThread());
          started.countDown();
          awaitIgnoringInterrupts(release);
          return null;
        }).workers(1).cancelGrace(Duration.ofMillis(50)).build())
        .build();
    QueueRunner runner = ((Engine) errand).runners().iterator().next();
    try {
      long id = errand.submit("q", null);
      await().until(() -> started.getCount() == 0);

      errand.cancel(id, "stop it");

      await().until(() -> errand.get(id).orElseThrow().status() == TaskStatus.CANCELLED);
      await().until(() -> runner.liveWorkers() == 1); // the replacement, not the stuck one
      assertThat(stuck.get().isAlive()).isTrue();
      ShutdownReport report = errand.shutdown(Duration.ofSeconds(5));
      assertThat(report.abandoned()).isZero(); // abandoned before the shutdown, not by it
      assertThat(stuck.get().isAlive()).isTrue();
    } finally {
      release.countDown();
      errand.close();
    }
    await().until(() -> !stuck.get().isAlive()); // it returned, saw it was retired, and left
  }

  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException ignored) {
        // a handler that does not stop when asked: the case under test
      }
    }
  }
}
