package io.errand.postgres;

import static io.errand.spi.contract.Answers.claimed;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.InvalidTaskException;
import io.errand.api.QueueFullException;
import io.errand.spi.Claim;
import io.errand.spi.GroupKind;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactional enqueue on the real database: node A inserts inside a caller's transaction
 * (with a row of the caller's own table beside it); node B sees nothing before the commit and
 * claims the task after it.
 */
class TransactionalInsertTest {
  private static final String Q = "mail";
  private static final Duration PROMPTLY = Duration.ofSeconds(10);

  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private Node a;
  private Node b;
  private Connection caller;

  @BeforeEach
  void open() throws SQLException {
    schema = db.freshSchema();
    a = Node.open(db, schema, "node-a");
    b = Node.open(db, schema, "node-b");
    db.exec("CREATE TABLE " + schema + ".orders (id integer PRIMARY KEY)");
    caller = db.connect();
    caller.setAutoCommit(false);
  }

  @AfterEach
  void close() throws SQLException {
    caller.close();
    a.close();
    b.close();
    db.drop(schema);
  }

  @Test
  void theTaskIsInvisibleToOtherNodesUntilTheCommitThenAnotherNodeClaimsIt() throws Exception {
    order(1);
    long id = a.store.tasks().insert(caller, now(task(Q))).id();

    assertThat(b.store.tasks().find(id)).isEmpty();
    assertThat(b.store.tasks().claim(Q, b.name, Instant.now())).isEqualTo(Claim.NONE_DUE);
    assertThat(a.store.tasks().waiting(Q)).isZero();

    caller.commit();

    await().atMost(PROMPTLY).until(() -> b.signals.workAvailable().contains(Q));
    await().atMost(PROMPTLY).until(() -> a.signals.workAvailable().contains(Q));
    assertThat(claimed(b.store.tasks().claim(Q, b.name, Instant.now())).id()).isEqualTo(id);
    assertThat(orders()).isEqualTo(1);
  }

  @Test
  void aRollbackLeavesNoTaskAndNoCount() throws Exception {
    order(1);
    long id = a.store.tasks().insert(caller, now(task(Q))).id();

    caller.rollback();

    assertThat(a.store.tasks().find(id)).isEmpty();
    assertThat(b.store.tasks().waiting(Q)).isZero();
    assertThat(b.store.tasks().claim(Q, b.name, Instant.now())).isEqualTo(Claim.NONE_DUE);
    assertThat(orders()).isZero();
  }

  @Test
  void aRefusedInsertThrowsItsExceptionAndLeavesTheTransactionUsable() throws Exception {
    a.store.tasks().insert(now(task(Q).capacity(1)));
    long taken = a.store.tasks().insert(now(task("other"))).id();
    order(1);

    assertThatThrownBy(() -> a.store.tasks().insert(caller, now(task(Q).capacity(1))))
        .isInstanceOf(QueueFullException.class);
    assertThatThrownBy(() -> a.store.tasks().insert(caller, now(task("other").id(taken))))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("already used");
    assertThatThrownBy(() -> a.store.tasks().insert(caller, now(task("other").id(-3))))
        .isInstanceOf(InvalidTaskException.class);
    order(2); // the transaction still works
    long later = a.store.tasks().insert(caller, now(task("other"))).id();
    caller.commit();

    assertThat(orders()).isEqualTo(2);
    assertThat(b.store.tasks().find(later)).isPresent();
    assertThat(b.store.tasks().waiting(Q)).isEqualTo(1);
    assertThat(b.store.tasks().waiting("other")).isEqualTo(2);
  }

  @Test
  void aKeyOfALiveTaskAnswersThatTask() throws Exception {
    long live = a.store.tasks().insert(now(task(Q).key("k"))).id();

    assertThat(a.store.tasks().insert(caller, now(task(Q).key("k"))))
        .isEqualTo(new Inserted.AlreadyLive(live));
    caller.commit();
    assertThat(b.store.tasks().waiting(Q)).isEqualTo(1);
  }

  @Test
  void aGroupJoinsTheTransactionAllOrNothing() throws Exception {
    List<NewTask> three = List.of(now(task(Q)), now(task(Q)), now(task(Q)));
    List<Long> rolledBack = a.store.groups().insert(caller, three, GroupKind.BATCH).ids();
    caller.rollback();
    assertThat(rolledBack).allMatch(id -> b.store.tasks().find(id).isEmpty());

    List<Long> ids = a.store.groups().insert(caller, three, GroupKind.CHAIN).ids();
    assertThat(b.store.tasks().find(ids.get(0))).isEmpty();
    caller.commit();

    assertThat(ids).allMatch(id -> b.store.tasks().find(id).isPresent());
    assertThat(claimed(b.store.tasks().claim(Q, b.name, Instant.now())).id())
        .isEqualTo(ids.get(0));
    assertThat(b.store.tasks().claim(Q, b.name, Instant.now())).isEqualTo(Claim.NONE_DUE);
  }

  @Test
  void aConnectionInAutoCommitModeIsRefused() throws Exception {
    try (Connection auto = db.connect()) {
      auto.setAutoCommit(true);
      assertThatThrownBy(() -> a.store.tasks().insert(auto, now(task(Q))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto-commit");
    }
    assertThat(a.store.tasks().waiting(Q)).isZero();
  }

  private static NewTask now(io.errand.spi.contract.NewTasks.Builder t) {
    return t.createdAt(Instant.now()).build();
  }

  private void order(int id) throws SQLException {
    try (Statement s = caller.createStatement()) {
      s.executeUpdate("INSERT INTO " + schema + ".orders VALUES (" + id + ")");
    }
  }

  private int orders() throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".orders")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
