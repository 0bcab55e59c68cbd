package io.errand.postgres;

import static io.errand.spi.contract.Answers.claimed;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.api.QueueFullException;
import io.errand.api.TaskStatus;
import io.errand.spi.Inserted;
import io.errand.spi.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two stores ("nodes" A and B) on one schema: what one does, the other sees and respects. */
class TwoNodesTest {
  private static final String Q = "mail";
  private static final String OTHER = "sms";
  private static final Duration PROMPTLY = Duration.ofSeconds(1);

  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private Node a;
  private Node b;

  @BeforeEach
  void openNodes() {
    schema = db.freshSchema();
    a = Node.open(db, schema, "node-a");
    b = Node.open(db, schema, "node-b");
  }

  @AfterEach
  void closeNodes() {
    a.close();
    b.close();
    db.drop(schema);
  }

  @Test
  void aTaskAddedOnOneNodeIsAnnouncedOnTheOtherWithinASecond() {
    long id = a.store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();

    await().atMost(PROMPTLY).untilAsserted(
        () -> assertThat(b.signals.workAvailable()).contains(Q));
    assertThat(a.signals.added()).containsExactly(id);
    assertThat(b.signals.added()).as("added is raised where the task was inserted").isEmpty();
    assertThat(claimed(b.store.tasks().claim(Q, b.name, Instant.now())).id()).isEqualTo(id);
  }

  @Test
  void aRetryOnOneNodeIsAnnouncedOnTheOther() {
    long id = a.store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();
    a.store.tasks().claim(Q, a.name, Instant.now());
    await().atMost(PROMPTLY).until(() -> b.signals.workAvailable().contains(Q));
    b.signals.clear();

    a.store.tasks().reschedule(id, 1, null, Instant.now());

    await().atMost(PROMPTLY).untilAsserted(
        () -> assertThat(b.signals.workAvailable()).contains(Q));
  }

  @Test
  void aCancelRequestedOnOneNodeReachesTheNodeRunningTheTask() {
    long id = a.store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();
    TaskRecord running = claimed(b.store.tasks().claim(Q, b.name, Instant.now()));
    assertThat(running.id()).isEqualTo(id);

    a.store.tasks().requestCancel(id, "stop it", Instant.now());

    await().atMost(PROMPTLY).untilAsserted(
        () -> assertThat(b.signals.cancelRequested()).containsExactly(id));
    assertThat(a.signals.cancelRequested()).as("not running on A").isEmpty();
    assertThat(b.store.tasks().find(id).orElseThrow().info().cancelReason()).isEqualTo("stop it");
  }

  @Test
  void theListenerReconnectsAfterLosingItsConnectionAndWakesEveryQueue() {
    b.store.tasks().nextDue(Q); // B's engine works on Q
    b.signals.clear();

    int killed = db.terminate("errand-listener-" + schema + "-" + b.store.nodeId());
    assertThat(killed).isEqualTo(1);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(
        () -> assertThat(b.signals.workAvailable()).contains(Q));
    a.store.tasks().insert(task(OTHER).createdAt(Instant.now()).build());
    await().atMost(PROMPTLY).untilAsserted(
        () -> assertThat(b.signals.workAvailable()).contains(OTHER));
  }

  @Test
  void aCancelSentWhileTheListenerWasAwayIsRaisedOnceItIsBack() {
    long id = a.store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();
    b.store.tasks().claim(Q, b.name, Instant.now());
    b.signals.clear();

    db.terminate("errand-listener-" + schema + "-" + b.store.nodeId());
    a.store.tasks().requestCancel(id, "while away", Instant.now());

    await().atMost(Duration.ofSeconds(10)).untilAsserted(
        () -> assertThat(b.signals.cancelRequested()).contains(id));
  }

  @Test
  void claimsOnBothNodesNeverTakeATaskTwice() throws InterruptedException {
    int total = 300;
    Set<Long> inserted = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < total; i++) {
      inserted.add((i % 2 == 0 ? a : b).store.tasks().insert(task(Q).priority(i % 3)
          .createdAt(Instant.now()).build()).id());
    }
    List<Long> claimed = new CopyOnWriteArrayList<>();
    List<Runnable> claimers = new ArrayList<>();
    for (Node n : List.of(a, b, a, b)) {
      claimers.add(() -> {
        while (n.store.tasks().claim(Q, n.name, Instant.now())
            instanceof Claim.Claimed(TaskRecord rec)) {
          claimed.add(rec.id());
        }
      });
    }

    inParallel(claimers);

    assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(inserted);
  }

  @Test
  void keyedInsertsOnBothNodesCreateOneTask() throws InterruptedException {
    List<Inserted> answers = new CopyOnWriteArrayList<>();
    List<Runnable> bodies = new ArrayList<>();
    for (Node n : List.of(a, b, a, b, a, b)) {
      bodies.add(() -> {
        for (int j = 0; j < 20; j++) {
          answers.add(n.store.tasks().insert(task(Q).key("once").createdAt(Instant.now()).build()));
        }
      });
    }

    inParallel(bodies);

    assertThat(answers.stream().filter(Inserted.Created.class::isInstance)).hasSize(1);
    assertThat(answers.stream().map(Inserted::id).distinct()).hasSize(1);
    assertThat(a.store.tasks().waiting(Q)).isEqualTo(1);
  }

  /** One node's submits go through its one writer: its capacity check is exact. */
  @Test
  void insertsFromManyThreadsOfOneNodeNeverOverfillAQueue() throws InterruptedException {
    int capacity = 25;
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Runnable> bodies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bodies.add(fill(a, capacity, accepted, refused));
    }

    inParallel(bodies);

    assertThat(accepted).hasValue(capacity);
    assertThat(refused).hasValue(60 - capacity);
    assertThat(b.store.tasks().waiting(Q)).isEqualTo(capacity);
  }

  /**
   * Across nodes no lock serializes submits: a node does not see the batch another node has in
   * flight, so a queue may pass its capacity by at most (nodes - 1) x the largest batch; it is
   * never refused below it, and the count stays the truth.
   */
  @Test
  void insertsOnBothNodesPassCapacityByAtMostTheOtherNodesBatch() throws InterruptedException {
    int capacity = 25;
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Runnable> bodies = new ArrayList<>();
    for (Node n : List.of(a, b, a, b, a, b)) {
      bodies.add(fill(n, capacity, accepted, refused));
    }

    inParallel(bodies);

    assertThat(accepted.get()).isBetween(capacity, capacity + SubmitWriter.MAX_BATCH);
    assertThat(accepted.get() + refused.get()).isEqualTo(60);
    assertThat(b.store.tasks().waiting(Q)).isEqualTo(accepted.get());
  }

  private static Runnable fill(Node n, int capacity, AtomicInteger accepted,
      AtomicInteger refused) {
    return () -> {
      for (int j = 0; j < 10; j++) {
        try {
          n.store.tasks().insert(task(Q).capacity(capacity).createdAt(Instant.now()).build());
          accepted.incrementAndGet();
        } catch (QueueFullException e) {
          refused.incrementAndGet();
        }
      }
    };
  }

  @Test
  void aStaleAttemptOnOneNodeCannotEndTheAttemptRunningOnTheOther() {
    long id = a.store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();
    a.store.tasks().claim(Q, a.name, Instant.now());
    a.store.tasks().reschedule(id, 1, null, Instant.now()); // given back: attempt 1 not charged
    b.store.tasks().claim(Q, b.name, Instant.now());        // attempt 1 again, now on B
    a.store.tasks().requestCancel(id, "x", Instant.now());
    b.store.tasks().reschedule(id, 1, null, Instant.now()); // cancelled instead: the cancel wins

    assertThat(b.store.tasks().find(id).orElseThrow().info().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(a.store.tasks().finish(id, 1, new io.errand.spi.Outcome.Succeeded("late"),
        Instant.now())).isEqualTo(Change.FENCED_OUT);
  }

  /** Runs each body on its own thread, all released at once; fails on an error or a hang. */
  static void inParallel(List<Runnable> bodies) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (Runnable body : bodies) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
          body.run();
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    start.countDown();
    for (Thread t : threads) {
      assertThat(t.join(Duration.ofSeconds(60))).as("a thread ended in time").isTrue();
    }
    assertThat(failures).isEmpty();
  }
}
