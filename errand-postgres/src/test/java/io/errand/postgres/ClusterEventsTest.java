package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.BatchRef;
import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.QueueSpec;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines ("nodes") on one schema: each node's listeners get every task's events,
 * whichever node made them, numbered and in the same order on both; a batch's end is
 * announced once for the cluster; a delivery is claimed by one node only.
 */
class ClusterEventsTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private final TestDatabase db = TestDatabase.get();
  private final Map<Long, String> ranOn = new ConcurrentHashMap<>();
  private final List<TaskEvent> seenByA = new CopyOnWriteArrayList<>();
  private final List<TaskEvent> seenByB = new CopyOnWriteArrayList<>();
  private String schema;
  private Errand a;
  private Errand b;

  @BeforeEach
  void start() {
    schema = db.freshSchema();
    a = node("node-a", seenByA);
    b = node("node-b", seenByB);
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    db.drop(schema);
  }

  private Errand node(String name, List<TaskEvent> seen) {
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(4).build();
    QueueSpec<Integer, Integer> doubling = QueueSpec.builder("double", Integer.class,
        ctx -> {
          ranOn.put(ctx.id(), name);
          ctx.progress(1, 2, "half way");
          if (ctx.args() < 0 && ctx.attempt() == 1) {
            throw new IllegalStateException("negative, once");
          }
          return ctx.args() * 2;
        }).workers(2).attempts(2).backoff(io.errand.api.Backoff.fixed(Duration.ofMillis(1)))
        .build();
    return Errand.builder().store(store).node(name).queue(doubling)
        .listener("record", seen::add).shutdownGrace(Duration.ofSeconds(5)).build();
  }

  @Test
  void everyNodeSeesEveryTasksEventsNumberedInOneOrder() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add((i % 2 == 0 ? a : b).submit("double", i % 5 == 0 ? -i - 1 : i));
    }
    await().atMost(LONG).until(() -> ids.stream()
        .allMatch(id -> a.get(id).map(TaskInfo::status).orElse(null) == TaskStatus.SUCCESS));
    assertThat(ranOn.values()).as("the work spread over both nodes").contains("node-a", "node-b");

    await().atMost(LONG).untilAsserted(() -> {
      for (List<TaskEvent> seen : List.of(seenByA, seenByB)) {
        for (long id : ids) {
          List<EventType> types = seen.stream().filter(e -> e.taskId() == id)
              .map(TaskEvent::type).toList();
          boolean retried = a.get(id).orElseThrow().attempt() == 2;
          assertThat(types).as("task %d", id).isEqualTo(retried
              ? List.of(EventType.ADDED, EventType.STARTED, EventType.PROGRESS,
                  EventType.RETRYING, EventType.STARTED, EventType.PROGRESS,
                  EventType.SUCCEEDED)
              : List.of(EventType.ADDED, EventType.STARTED, EventType.PROGRESS,
                  EventType.SUCCEEDED));
        }
      }
    });
    assertThat(seenByA).extracting(TaskEvent::seq).isSorted().doesNotHaveDuplicates()
        .allMatch(seq -> seq > 0);
    assertThat(seenByB).as("the same events, in the same order").isEqualTo(seenByA);
    TaskEvent retry = seenByA.stream().filter(e -> e.type() == EventType.RETRYING).findFirst()
        .orElseThrow();
    assertThat(retry.status()).isEqualTo(TaskStatus.WAITING);
    assertThat(retry.message()).contains("negative, once");
  }

  @Test
  void aBatchRunOnBothNodesIsAnnouncedFinishedOnceAfterItsLastTask() {
    BatchRef batch = a.submitBatch("double", IntStream.range(0, 40).boxed().toList());

    await().atMost(LONG).untilAsserted(() -> {
      for (List<TaskEvent> seen : List.of(seenByA, seenByB)) {
        assertThat(seen.stream().filter(e -> e.type() == EventType.BATCH_FINISHED))
            .singleElement().satisfies(e -> {
              assertThat(e.taskId()).isEqualTo(batch.group());
              assertThat(e.message()).isEqualTo("40 succeeded, 0 failed, 0 cancelled");
            });
      }
    });
    assertThat(ranOn.values()).contains("node-a", "node-b");
    long finished = seenByA.stream().filter(e -> e.type() == EventType.BATCH_FINISHED)
        .findFirst().orElseThrow().seq();
    assertThat(seenByA.stream().filter(e -> e.type() == EventType.SUCCEEDED)
        .filter(e -> batch.ids().contains(e.taskId())).map(TaskEvent::seq))
        .hasSize(40).allMatch(seq -> seq < finished);
  }

  @Test
  void manyBatchesEndingTogetherAreEachAnnouncedExactlyOnce() {
    List<BatchRef> batches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batches.add((i % 2 == 0 ? a : b).submitBatch("double", List.of(1, 2)));
    }
    await().atMost(LONG).untilAsserted(() -> assertThat(seenByB.stream()
        .filter(e -> e.type() == EventType.BATCH_FINISHED).map(TaskEvent::taskId))
        .containsExactlyInAnyOrderElementsOf(batches.stream().map(BatchRef::group).toList()));
    await().atMost(LONG).untilAsserted(() -> assertThat(seenByA).isEqualTo(seenByB));
  }

  @Test
  void anyNodeReadsTheLogAfterAGivenEventAsItsListenersGotIt() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(a.submit("double", i));
    }
    await().atMost(LONG).until(() -> seenByA.stream()
        .filter(e -> e.type() == EventType.SUCCEEDED).count() == 10);
    long third = seenByA.get(2).seq();
    List<TaskEvent> expected = seenByA.stream().filter(e -> e.seq() > third).toList();

    List<TaskEvent> fromB = b.cluster().orElseThrow().eventsAfter(third, 1000);

    assertThat(fromB).isEqualTo(expected.subList(0, fromB.size()));
    await().atMost(LONG).untilAsserted(() ->
        assertThat(b.cluster().orElseThrow().eventsAfter(third, 1000)).isEqualTo(expected));
    assertThat(b.cluster().orElseThrow().eventsAfter(third, 3)).isEqualTo(expected.subList(0, 3));
  }

  @Test
  void aDeliveryIsClaimedByOneNodeOfTheCluster() throws Exception {
    long id = a.submit("double", 1);
    await().atMost(LONG).until(() -> seenByB.stream().anyMatch(e -> e.taskId() == id
        && e.type() == EventType.SUCCEEDED));
    List<Long> seqs = seenByB.stream().filter(e -> e.taskId() == id).map(TaskEvent::seq)
        .toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Long>> claims = new ArrayList<>();
      for (Errand node : List.of(a, b, a, b)) {
        claims.add(pool.submit(() -> {
          go.await();
          return seqs.stream().filter(s -> node.cluster().orElseThrow().claimDelivery(s))
              .count();
        }));
      }
      go.countDown();
      long total = 0;
      for (Future<Long> f : claims) {
        total += f.get();
      }
      assertThat(total).as("each of %d events claimed once", seqs.size())
          .isEqualTo(seqs.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void workAndEventsKeepFlowingWhenBothListenersConnectionsAreKilled() {
    List<Long> ids = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add((i % 2 == 0 ? a : b).submit("double", i));
    }
    long nodeB = b.cluster().orElseThrow().self();
    long nodeA = a.cluster().orElseThrow().self();
    assertThat(db.terminate("errand-listener-" + schema + "-" + nodeA)
        + db.terminate("errand-listener-" + schema + "-" + nodeB)).isEqualTo(2);
    for (int i = 20; i < 40; i++) {
      ids.add((i % 2 == 0 ? a : b).submit("double", i));
    }

    await().atMost(LONG).until(() -> ids.stream()
        .allMatch(id -> a.get(id).map(TaskInfo::status).orElse(null) == TaskStatus.SUCCESS));
    await().atMost(LONG).untilAsserted(() -> {
      for (List<TaskEvent> seen : List.of(seenByA, seenByB)) {
        assertThat(seen.stream().filter(e -> e.type() == EventType.SUCCEEDED)
            .map(TaskEvent::taskId)).containsExactlyInAnyOrderElementsOf(ids);
      }
    });
    assertThat(seenByB).isEqualTo(seenByA);
  }

  @Test
  void theNodesViewShowsBothNodesAndWhatRunsOnThem() {
    var nodes = a.cluster().orElseThrow().nodes();
    assertThat(nodes).extracting(n -> n.name()).containsExactlyInAnyOrder("node-a", "node-b");
    assertThat(nodes).allMatch(n -> n.running() == 0 && n.lease().equals(Duration.ofSeconds(30)));
    assertThat(b.cluster().orElseThrow().running()).isEmpty();
    assertThat(seenByA.stream().map(TaskEvent::type).collect(Collectors.toSet())).isEmpty();
  }
}
