package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.CancelResult;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.SupervisorSpec;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code Errand.Builder.buildUnstarted()}: the store is open and submits are kept, but nothing
 * runs until {@code start()}; {@code build()} is both in one step.
 */
class BuildUnstartedTest {
  private final AtomicInteger ran = new AtomicInteger();

  private Errand.Builder builder() {
    return Errand.builder().queue(QueueSpec.builder("q", String.class, ctx -> {
      ran.incrementAndGet();
      return ctx.args();
    }).build()).supervisor(SupervisorSpec.builder("keys", String.class,
        ctx -> new CountDownLatch(1).await()).build()); // runs until stopped (interrupted)
  }

  @Test
  void nothingRunsBeforeStartAndWhatWasSubmittedRunsAfterIt() {
    try (Errand errand = builder().buildUnstarted()) {
      assertThat(errand.isStarted()).isFalse();
      long kept = errand.submit("q", "kept");
      long dropped = errand.submit("q", "dropped");
      assertThat(errand.get(kept).orElseThrow().status()).isEqualTo(TaskStatus.WAITING);
      // A waiting task is cancelled at once; a claimed one could only be asked to stop.
      assertThat(errand.cancel(dropped, "before start"))
          .isEqualTo(new CancelResult.Cancelled(dropped));
      assertThatThrownBy(() -> errand.supervisor("keys").put("a", "x"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("before the Errand is started").hasMessageContaining("start()");
      assertThat(ran).hasValue(0);

      errand.start();
      errand.start(); // once started, nothing more

      assertThat(errand.isStarted()).isTrue();
      assertThat(Await.finished(errand, kept).status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(ran).hasValue(1);
      errand.supervisor("keys").put("a", "x");
    }
  }

  @Test
  void buildStartsAtOnce() {
    try (Errand errand = builder().build()) {
      assertThat(errand.isStarted()).isTrue();
      long id = errand.submit("q", "now");
      assertThat(Await.finished(errand, id).status()).isEqualTo(TaskStatus.SUCCESS);
    }
  }

  @Test
  void aShutDownErrandCannotStart() {
    Errand errand = builder().buildUnstarted();
    errand.shutdown(Duration.ofSeconds(5));
    assertThatThrownBy(errand::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shut down and cannot start again");
  }
}
