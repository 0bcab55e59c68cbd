package io.errand.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.BatchCallback;
import io.errand.api.BatchRef;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.api.UnknownQueueException;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batch callbacks (issue 15) on a real engine over a store: the callback runs once when its
 * batch ends (on success only, or on any end), sees the batch's counts and each task's result,
 * and, with two nodes on one database, still runs exactly once whichever node ends the last
 * task. A store module runs it unchanged by extending this class.
 */
public abstract class BatchCallbackContract {
  private static final Duration LONG = Duration.ofSeconds(60);

  /** What each run of a callback saw: its task id, and the batch's outcome. */
  protected final Map<Long, List<Object>> callbackRuns = new ConcurrentHashMap<>();
  private final AtomicInteger workRuns = new AtomicInteger();
  protected Errand a;
  protected Errand b;

  /** A new, empty store, not yet opened: the first node's. */
  protected abstract TaskStore newStore();

  /**
   * A second store on what {@link #newStore()}'s keeps, for a second node, or null if the
   * store is not shared (the tests then run on one node).
   */
  protected abstract TaskStore secondNode();

  @BeforeEach
  void startNodes() {
    a = node("node-a", newStore());
    TaskStore second = secondNode();
    b = second == null ? a : node("node-b", second);
  }

  @AfterEach
  void stopNodes() {
    if (b != a) {
      b.close();
    }
    a.close();
  }

  private Errand node(String name, TaskStore store) {
    QueueSpec<Integer, Integer> work = QueueSpec.builder("work", Integer.class, ctx -> {
      workRuns.incrementAndGet();
      if (ctx.args() < 0) {
        throw new IllegalStateException("negative");
      }
      return ctx.args() * 2;
    }).workers(3).build();
    QueueSpec<Object, String> fanIn = QueueSpec.builder("fanin", Object.class, ctx -> {
      callbackRuns.computeIfAbsent(ctx.id(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(ctx.previousResult().orElse(null));
      return "done";
    }).workers(2).build();
    return Errand.builder().store(store).node(name).queue(work).queue(fanIn)
        .shutdownGrace(Duration.ofSeconds(5)).build();
  }

  private TaskInfo awaitEnd(long id) {
    await().atMost(LONG).until(() -> a.get(id).map(TaskInfo::isFinished).orElse(false));
    return a.get(id).orElseThrow();
  }

  private static long number(Object o) {
    return ((Number) o).longValue();
  }

  @Test
  @SuppressWarnings("unchecked")
  void onSuccessRunsOnceWithTheCountsAndEveryResult() {
    BatchRef batch = a.submitBatch("work", List.of(1, 2, 3),
        BatchCallback.onSuccess("fanin", "report"));
    assertThat(batch.ids()).hasSize(3);
    assertThat(batch.callback()).isPositive().isNotIn(batch.ids());

    TaskInfo callback = awaitEnd(batch.callback());
    assertThat(callback.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(callback.group()).as("the callback is no task of the batch").isZero();
    assertThat(a.batch(batch.group()).orElseThrow().total()).isEqualTo(3);
    assertThat(callbackRuns.get(batch.callback())).hasSize(1);
    Map<String, Object> seen = (Map<String, Object>) callbackRuns.get(batch.callback()).get(0);
    assertThat(number(seen.get("group"))).isEqualTo(batch.group());
    assertThat(number(seen.get("total"))).isEqualTo(3);
    assertThat(number(seen.get("succeeded"))).isEqualTo(3);
    List<Map<String, Object>> results = (List<Map<String, Object>>) seen.get("results");
    assertThat(results).extracting(r -> number(r.get("id"))).containsExactlyElementsOf(batch.ids());
    assertThat(results).extracting(r -> number(r.get("response"))).containsExactly(2L, 4L, 6L);
    assertThat(results).extracting(r -> r.get("status")).containsOnly("SUCCESS");
  }

  @Test
  void onSuccessIsCancelledWhenATaskFails() {
    BatchRef batch = a.submitBatch("work", List.of(1, -1, 3),
        BatchCallback.onSuccess("fanin", "report"));
    TaskInfo callback = awaitEnd(batch.callback());
    assertThat(callback.status()).isEqualTo(TaskStatus.CANCELLED);
    // named by the failed task's end, or by a later success's that saw the batch over first
    assertThat(callback.cancelReason()).contains("batch " + batch.group())
        .containsAnyOf("task " + batch.ids().get(1) + " of batch", "1 failed");
    batch.ids().forEach(this::awaitEnd);
    assertThat(callbackRuns).doesNotContainKey(batch.callback());
  }

  @Test
  @SuppressWarnings("unchecked")
  void onEndRunsOnceTheBatchEndedWhateverItsTasksDid() {
    BatchRef batch = a.submitBatch("work", List.of(5, -1), BatchCallback.onEnd("fanin", null));
    assertThat(awaitEnd(batch.callback()).status()).isEqualTo(TaskStatus.SUCCESS);
    Map<String, Object> seen = (Map<String, Object>) callbackRuns.get(batch.callback()).get(0);
    assertThat(number(seen.get("succeeded"))).isEqualTo(1);
    assertThat(number(seen.get("failed"))).isEqualTo(1);
    List<Map<String, Object>> results = (List<Map<String, Object>>) seen.get("results");
    assertThat(results).extracting(r -> r.get("status")).containsExactly("SUCCESS", "FAILURE");
  }

  @Test
  void manyBatchesOnBothNodesRunEachCallbackExactlyOnce() {
    List<BatchRef> batches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batches.add((i % 2 == 0 ? a : b).submitBatch("work", List.of(i, i + 1, i + 2),
          i % 3 == 0 ? BatchCallback.onEnd("fanin", i) : BatchCallback.onSuccess("fanin", i)));
    }
    for (BatchRef batch : batches) {
      assertThat(awaitEnd(batch.callback()).status()).isEqualTo(TaskStatus.SUCCESS);
    }
    for (BatchRef batch : batches) {
      assertThat(callbackRuns.get(batch.callback())).as("runs of callback %d", batch.callback())
          .hasSize(1);
    }
    assertThat(workRuns.get()).isEqualTo(60);
  }

  @Test
  void aCallbackOnAQueueThatDoesNotExistIsRefusedAndNothingIsAdded() {
    long before = a.list(io.errand.api.TaskQuery.newest(100)).items().size();
    assertThatThrownBy(() -> a.submitBatch("work", List.of(1),
        BatchCallback.onSuccess("nowhere", null)))
        .isInstanceOf(UnknownQueueException.class).hasMessageContaining("nowhere");
    assertThat(a.list(io.errand.api.TaskQuery.newest(100)).items()).hasSize((int) before);
  }
}
