package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.ShutdownReport;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.api.TaskStoppedException;
import io.errand.memory.MemoryStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Shutdown with a durable store: interrupted tasks go back to WAITING without their attempt
 * charged, waiting tasks stay WAITING, and a second engine on the same store runs them all.
 * The store is the memory store presenting itself as durable, kept open across the two engines,
 * which is what a file or database does across a restart.
 */
class DurableShutdownTest {

  @Test
  void interruptedTasksAreRequeuedUnchargedAndRunAfterRestart() {
    MemoryStore data = new MemoryStore();
    AtomicReference<String> stopCause = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Errand first = Errand.builder().store(DurableView.of(data))
        .queue(QueueSpec.builder("q", Integer.class, ctx -> {
          started.countDown();
          try {
            while (true) {
              ctx.checkpoint(); // with a durable store this throws once shutdown begins
              Thread.onSpinWait();
            }
          } catch (TaskStoppedException e) {
            stopCause.set(e.stopCause().name());
            throw e;
          }
        }).workers(1).build())
        .build();
    long running = first.submit("q", 1);
    long waiting = first.submit("q", 2);
    // Its handler runs, not only its claim: a task claimed as shutdown begins is given back.
    await().until(() -> started.getCount() == 0);

    ShutdownReport report = first.shutdown(Duration.ofSeconds(10));

    assertThat(stopCause).hasValue("SHUTDOWN");
    assertThat(report.requeued()).isEqualTo(1);
    assertThat(report.waiting()).isEqualTo(2);
    assertThat(report.cancelled()).isZero();
    TaskInfo requeued = data.tasks().find(running).orElseThrow().info();
    assertThat(requeued.status()).isEqualTo(TaskStatus.WAITING);
    assertThat(requeued.attempt()).isZero(); // the interrupted attempt is not charged
    assertThat(data.tasks().find(waiting).orElseThrow().info().status()).isEqualTo(TaskStatus.WAITING);

    try (Errand second = Errand.builder().store(DurableView.of(data))
        .queue(QueueSpec.builder("q", Integer.class, ctx -> ctx.args() * 10).build())
        .build()) {
      TaskInfo a = Await.finished(second, running);
      TaskInfo b = Await.finished(second, waiting);
      assertThat(a.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(a.attempt()).isEqualTo(1);
      assertThat(a.response()).isEqualTo(10);
      assertThat(b.response()).isEqualTo(20);
    }
  }
}
