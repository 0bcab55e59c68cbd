package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two engines ("nodes") on one schema: work spreads over both; a cancel crosses over. */
class ErrandOnPostgresTest extends TwoErrandNodes {
  private final Map<Long, String> ranOn = new ConcurrentHashMap<>();

  @Override
  Errand node(String name) {
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(4).build();
    QueueSpec<Integer, Integer> doubling = QueueSpec.builder("double", Integer.class,
        ctx -> {
          ranOn.put(ctx.id(), name);
          return ctx.args() * 2;
        }).workers(2).build();
    QueueSpec<Integer, Integer> blocking = QueueSpec.builder("block", Integer.class,
        ctx -> {
          ranOn.put(ctx.id(), name);
          Thread.sleep(Duration.ofMinutes(5)); // until cancelled
          return 0;
        }).build();
    return Errand.builder().store(store).node(name).queue(doubling).queue(blocking)
        .shutdownGrace(Duration.ofSeconds(5)).build();
  }

  @Test
  void tasksSubmittedOnEitherNodeRunOnceToSuccess() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add((i % 2 == 0 ? a : b).submit("double", i));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
        .allMatch(id -> a.get(id).map(TaskInfo::status).orElse(null) == TaskStatus.SUCCESS));
    for (int i = 0; i < ids.size(); i++) {
      TaskInfo info = b.get(ids.get(i)).orElseThrow();
      assertThat(info.result(Integer.class)).isEqualTo(2 * i);
      assertThat(info.attempt()).isEqualTo(1);
    }
    assertThat(ranOn).containsOnlyKeys(ids);
  }

  @Test
  void aCancelOnOneNodeStopsTheTaskRunningOnTheOther() {
    long id = a.submit("block", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> ranOn.containsKey(id));
    Errand other = ranOn.get(id).equals("node-a") ? b : a;

    other.cancel(id, "stop from the other node");

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      TaskInfo info = other.get(id).orElseThrow();
      assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(info.cancelReason()).isEqualTo("stop from the other node");
    });
  }

  @Test
  void anAwaitOnOneNodeCompletesWhenTheTaskEndsOnTheOther() throws Exception {
    long id = a.submit("block", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> ranOn.containsKey(id));
    Errand runner = ranOn.get(id).equals("node-a") ? a : b;
    Errand other = runner == a ? b : a;
    CompletableFuture<TaskInfo> awaited = other.await(id);

    runner.cancel(id, "ended on the node that ran it"); // no signal of it reaches the other

    TaskInfo info = awaited.get(10, TimeUnit.SECONDS);
    assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(info.cancelReason()).isEqualTo("ended on the node that ran it");
  }
}
