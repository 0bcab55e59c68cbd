package io.errand.postgres;

import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.InvalidTaskException;
import io.errand.api.QueueFullException;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit: submits of one node that wait together share one transaction, and a refused
 * submit fails alone. The writer is held inside its first batch ({@link HeldBatches}), so the
 * submits made meanwhile are all pending when it comes back: the second batch is known.
 */
class GroupCommitTest {
  private static final String Q = "mail";
  private static final String OTHER = "sms";

  private HeldBatches batches;
  private Node node;

  @BeforeEach
  void open() {
    batches = new HeldBatches("node-a", 20);
    node = batches.node;
  }

  @AfterEach
  void close() {
    batches.close();
  }

  @Test
  void submitsThatWaitTogetherShareOneTransactionAndARefusalFailsOnlyItself() throws Exception {
    SubmitWriter writer = node.store.submitWriter();
    long before = writer.batches();
    Map<String, Future<Inserted>> answers = new ConcurrentHashMap<>();
    List<Future<Inserted>> mail = new ArrayList<>();
    try (HeldBatches.Hold<Inserted> held = batches.hold(writer::batches, writer::pending,
        () -> insert(task(Q).capacity(10)))) {
      for (int i = 0; i < 12; i++) {
        mail.add(batches.submit(() -> insert(task(Q).capacity(10))));
      }
      answers.put("key1", batches.submit(() -> insert(task(OTHER).key("k"))));
      answers.put("key2", batches.submit(() -> insert(task(OTHER).key("k"))));
      answers.put("plain", batches.submit(() -> insert(task(OTHER))));
      answers.put("id1", batches.submit(() -> insert(task(OTHER).id(777_777))));
      answers.put("id2", batches.submit(() -> insert(task(OTHER).id(777_777))));
      held.releaseWhenPending(17);
      assertThat(held.first().get()).isInstanceOf(Inserted.Created.class);
    }
    List<Inserted> created = new ArrayList<>();
    int full = 0;
    for (Future<Inserted> f : mail) {
      try {
        created.add(f.get());
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(QueueFullException.class);
        full++;
      }
    }
    assertThat(created).hasSize(9).allMatch(Inserted.Created.class::isInstance);
    assertThat(full).isEqualTo(3);
    Inserted k1 = answers.get("key1").get();
    Inserted k2 = answers.get("key2").get();
    assertThat(k1.id()).isEqualTo(k2.id());
    assertThat(List.of(k1, k2)).filteredOn(Inserted.Created.class::isInstance).hasSize(1);
    assertThat(answers.get("plain").get()).isInstanceOf(Inserted.Created.class);
    List<Object> byId = new ArrayList<>();
    for (String id : List.of("id1", "id2")) {
      try {
        byId.add(answers.get(id).get());
      } catch (java.util.concurrent.ExecutionException e) {
        byId.add(e.getCause());
      }
    }
    assertThat(byId).filteredOn(Inserted.Created.class::isInstance).hasSize(1);
    assertThat(byId).filteredOn(InvalidTaskException.class::isInstance).hasSize(1);
    assertThat(writer.batches()).as("the 17 waiting submits were written together")
        .isEqualTo(before + 2);
    assertThat(node.store.tasks().waiting(Q)).isEqualTo(10);
    assertThat(node.store.tasks().waiting(OTHER)).isEqualTo(3);
  }

  @Test
  void plainSubmitsThatWaitTogetherAreOneStatementAndOnlyTheOverflowIsRefused() throws Exception {
    SubmitWriter writer = node.store.submitWriter();
    long before = writer.batches();
    List<Future<Inserted>> mail = new ArrayList<>();
    List<Future<Inserted>> sms = new ArrayList<>();
    try (HeldBatches.Hold<Inserted> held = batches.hold(writer::batches, writer::pending,
        () -> insert(task(Q).capacity(5)))) {
      for (int i = 0; i < 8; i++) {
        mail.add(batches.submit(() -> insert(task(Q).capacity(5))));
        sms.add(batches.submit(() -> insert(task(OTHER).capacity(100))));
      }
      held.releaseWhenPending(16);
      assertThat(held.first().get()).isInstanceOf(Inserted.Created.class);
    }
    int created = 0;
    int full = 0;
    for (Future<Inserted> f : mail) {
      try {
        assertThat(f.get()).isInstanceOf(Inserted.Created.class);
        created++;
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(QueueFullException.class);
        full++;
      }
    }
    assertThat(created).as("room for 4 after the first").isEqualTo(4);
    assertThat(full).isEqualTo(4);
    for (Future<Inserted> f : sms) {
      assertThat(f.get()).isInstanceOf(Inserted.Created.class);
    }
    assertThat(writer.batches()).isEqualTo(before + 2);
    assertThat(node.store.tasks().waiting(Q)).isEqualTo(5);
    assertThat(node.store.tasks().waiting(OTHER)).isEqualTo(8);
  }

  @Test
  void aPlainSubmitWhoseNumberAGivenIdTookGetsTheNextOneAndIsCounted() throws Exception {
    long last = ((Inserted.Created) insert(task(Q))).id();
    Inserted given = insert(task(Q).id(last + 1));
    assertThat(given).isInstanceOf(Inserted.Created.class);
    Inserted plain = insert(task(Q));
    assertThat(plain).isInstanceOf(Inserted.Created.class);
    assertThat(plain.id()).isGreaterThan(last + 1);
    assertThat(node.store.tasks().waiting(Q)).isEqualTo(3);
    assertThat(node.store.tasks().find(plain.id())).isPresent();
  }

  private Inserted insert(io.errand.spi.contract.NewTasks.Builder t) {
    NewTask task = t.createdAt(Instant.now()).build();
    return node.store.tasks().insert(task);
  }
}
