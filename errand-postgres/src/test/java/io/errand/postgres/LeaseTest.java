package io.errand.postgres;

import static io.errand.spi.contract.Answers.claimed;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.spi.Claim;
import io.errand.spi.Change;
import io.errand.api.TaskStatus;
import io.errand.spi.Outcome;
import io.errand.spi.TaskRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Heartbeats and leases: the tasks of a node that stops heartbeating run again elsewhere. */
class LeaseTest {
  private static final String Q = "mail";
  private static final Duration HEARTBEAT = Duration.ofMillis(100);
  private static final Duration LEASE = Duration.ofMillis(600);
  private static final Duration RESCUED_IN = Duration.ofSeconds(10);

  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private Node a;
  private Node b;

  @BeforeEach
  void openNodes() {
    schema = db.freshSchema();
    a = Node.open(db, schema, "node-a", HEARTBEAT, LEASE);
    b = Node.open(db, schema, "node-b", HEARTBEAT, LEASE);
  }

  @AfterEach
  void closeNodes() {
    a.close();
    b.close();
    db.drop(schema);
  }

  @Test
  void theRunningTasksOfANodeThatStopsHeartbeatingRunAgainOnAnother() throws SQLException {
    long id = a.store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();
    assertThat(claimed(a.store.tasks().claim(Q, a.name, Instant.now())).id()).isEqualTo(id);
    long dead = a.store.nodeId();
    b.signals.clear();

    a.store.halt(); // as if killed: no goodbye, no more heartbeats

    await().atMost(RESCUED_IN).untilAsserted(() -> {
      TaskRecord rec = b.store.tasks().find(id).orElseThrow();
      assertThat(rec.info().status()).isEqualTo(TaskStatus.WAITING);
      assertThat(rec.node()).isNull();
    });
    await().atMost(Duration.ofSeconds(1)).until(() -> b.signals.workAvailable().contains(Q));
    assertThat(b.store.tasks().waiting(Q)).as("the rescued task waits again").isEqualTo(1);
    TaskRecord again = claimed(b.store.tasks().claim(Q, b.name, Instant.now()));
    assertThat(again.id()).isEqualTo(id);
    assertThat(b.store.tasks().waiting(Q)).isZero();
    assertThat(again.info().attempt()).as("the lost attempt counts").isEqualTo(2);
    assertThat(b.store.tasks().finish(id, 1, new Outcome.Succeeded("zombie"), Instant.now()))
        .as("the dead node's late end is fenced out").isEqualTo(Change.FENCED_OUT);
    assertThat(nodeRows(dead)).as("the dead node's row").isZero();
  }

  @Test
  void aTaskOfADeadNodeWhoseCancelWasRequestedEndsCancelled() {
    long id = a.store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();
    a.store.tasks().claim(Q, a.name, Instant.now());
    b.store.tasks().requestCancel(id, "not needed", Instant.now());

    a.store.halt();

    await().atMost(RESCUED_IN).untilAsserted(() -> assertThat(b.signals.ended())
        .anySatisfy(rec -> {
          assertThat(rec.id()).isEqualTo(id);
          assertThat(rec.info().status()).isEqualTo(TaskStatus.CANCELLED);
          assertThat(rec.info().message()).isEqualTo("not needed");
        }));
    assertThat(b.store.tasks().claim(Q, b.name, Instant.now())).isEqualTo(Claim.NONE_DUE);
  }

  @Test
  void theTasksOfALiveNodeAreLeftAlone() {
    long id = a.store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();
    a.store.tasks().claim(Q, a.name, Instant.now());

    await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(5)).until(
        () -> b.store.tasks().find(id).orElseThrow().info().status() == TaskStatus.RUNNING);
  }

  @Test
  void aNodePresumedDeadWritesItsRowAgain() {
    long self = a.store.nodeId();
    db.exec("DELETE FROM " + schema + ".nodes WHERE id = " + self);

    await().atMost(RESCUED_IN).until(() -> nodeRows(self) == 1);
  }

  @Test
  void closeRemovesTheNodesRow() throws SQLException {
    long self = b.store.nodeId();
    assertThat(nodeRows(self)).isEqualTo(1);

    b.store.close();

    assertThat(nodeRows(self)).isZero();
  }

  @Test
  void theRunningTasksOfAClosedNodeAreRescuedWithoutWaitingForTheLease() {
    Node slow = Node.open(db, schema, "node-c", Duration.ofSeconds(1), Duration.ofMinutes(10));
    long id = slow.store.tasks().insert(task(Q).createdAt(Instant.now()).build()).id();
    slow.store.tasks().claim(Q, slow.name, Instant.now()); // a straggler left running at close

    slow.close();

    await().atMost(RESCUED_IN).until(
        () -> b.store.tasks().find(id).orElseThrow().info().status() == TaskStatus.WAITING);
  }

  private long nodeRows(long id) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + schema
            + ".nodes WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
