package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.BatchRef;
import io.errand.api.BatchStatus;
import io.errand.api.ChainStep;
import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.InvalidTaskException;
import io.errand.api.QueueFullException;
import io.errand.api.QueueSpec;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Batches (one group, aggregate status, one completion event) and chains. */
class BatchAndChainTest {

  @RepeatedTest(25) // workers race the submitter for a batch's count: once caught it
  void batchReportsAggregateStatusAndOneCompletionEvent() {
    List<TaskEvent> batchEvents = new CopyOnWriteArrayList<>();
    try (Errand errand = Errand.builder()
        .listener("batches", e -> {
          if (e.type() == EventType.BATCH_FINISHED) {
            batchEvents.add(e);
          }
        })
        .queue(QueueSpec.builder("sync", Integer.class, ctx -> {
          if (ctx.args() == 3) {
            throw new IllegalStateException("user 3 has no repository");
          }
          return ctx.args();
        }).workers(4).build())
        .build()) {
      BatchRef batch = errand.submitBatch("sync", List.of(1, 2, 3, 4, 5));
      assertThat(batch.ids()).hasSize(5);
      batch.ids().forEach(id -> Await.finished(errand, id));

      BatchStatus s = errand.batch(batch.group()).orElseThrow();
      assertThat(s.total()).isEqualTo(5);
      assertThat(s.succeeded()).isEqualTo(4);
      assertThat(s.failed()).isEqualTo(1);
      assertThat(s.isFinished()).isTrue();
      assertThat(s.percent()).isEqualTo(100.0);
      await().until(() -> batchEvents.size() == 1);
      assertThat(batchEvents.get(0).taskId()).isEqualTo(batch.group());
      assertThat(batchEvents.get(0).message()).contains("4 succeeded, 1 failed");
      assertThat(errand.get(batch.ids().get(0)).orElseThrow().group()).isEqualTo(batch.group());
    }
  }

  @Test
  void cancellingABatchCancelsEveryLiveTask() {
    Gate gate = new Gate();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Integer.class, ctx -> {
          gate.pass();
          return null;
        }).workers(1).build())
        .build()) {
      BatchRef batch = errand.submitBatch("q", List.of(1, 2, 3));
      Await.status(errand, batch.ids().get(0), TaskStatus.RUNNING);

      assertThat(errand.cancelBatch(batch.group(), "not needed")).isEqualTo(3);
      batch.ids().forEach(id -> assertThat(Await.finished(errand, id).status())
          .isEqualTo(TaskStatus.CANCELLED));
      BatchStatus s = errand.batch(batch.group()).orElseThrow();
      assertThat(s.cancelled()).isEqualTo(3);
      assertThat(s.percent()).isEqualTo(100.0);
    }
  }

  @Test
  void aBatchThatDoesNotFitIsRefusedWhole() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Integer.class, ctx -> null).capacity(2).build())
        .build()) {
      assertThatThrownBy(() -> errand.submitBatch("q", List.of(1, 2, 3)))
          .isInstanceOf(QueueFullException.class);
      assertThat(errand.metrics("q").waiting()).isZero();
      assertThatThrownBy(() -> errand.submitBatch("q", List.of()))
          .isInstanceOf(InvalidTaskException.class);
    }
  }

  @Test
  void chainStepsSeeThePreviousResultAcrossQueues() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("fetch", String.class, ctx -> ctx.args().length()).build())
        .queue(QueueSpec.builder("double", Integer.class,
            ctx -> 2 * (Integer) ctx.previousResult().orElseThrow() + ctx.args()).build())
        .build()) {
      BatchRef chain = errand.submitChain(List.of(ChainStep.of("fetch", "hello"),
          ChainStep.of("double", 1), ChainStep.of("double", 100)));
      TaskInfo last = Await.finished(errand, chain.ids().get(2));

      assertThat(last.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(last.response()).isEqualTo(2 * (2 * 5 + 1) + 100);
      assertThat(errand.batch(chain.group()).orElseThrow().succeeded()).isEqualTo(3);
    }
  }

  @Test
  void aFailedStepCancelsTheRestWithTheReason() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("step", String.class, ctx -> {
          if (ctx.args().equals("boom")) {
            throw new IllegalStateException("disk full");
          }
          return ctx.args();
        }).build())
        .build()) {
      BatchRef chain = errand.submitChain(List.of(ChainStep.of("step", "a"),
          ChainStep.of("step", "boom"), ChainStep.of("step", "c"), ChainStep.of("step", "d")));
      assertThat(Await.finished(errand, chain.ids().get(1)).status())
          .isEqualTo(TaskStatus.FAILURE);

      for (long id : chain.ids().subList(2, 4)) {
        TaskInfo t = Await.finished(errand, id);
        assertThat(t.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(t.attempt()).isZero();
        assertThat(t.cancelReason()).contains("FAILURE").contains("disk full");
      }
      BatchStatus s = errand.batch(chain.group()).orElseThrow();
      assertThat(s.succeeded()).isEqualTo(1);
      assertThat(s.failed()).isEqualTo(1);
      assertThat(s.cancelled()).isEqualTo(2);
    }
  }
}
