package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.BatchRef;
import io.errand.api.Errand;
import io.errand.api.InvalidTaskException;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.api.UnknownQueueException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Errand.submit(Connection, ...)} on two engines ("nodes") sharing one schema: the task
 * runs once the caller commits, never if it rolls back, and a refusal leaves the caller's
 * transaction usable.
 */
class ErrandTransactionalSubmitTest {
  private static final Duration RUNS = Duration.ofSeconds(30);

  private final TestDatabase db = TestDatabase.get();
  private final Map<Long, String> ranOn = new ConcurrentHashMap<>();
  private String schema;
  private Errand a;
  private Errand b;
  private Connection caller;

  @BeforeEach
  void start() throws SQLException {
    schema = db.freshSchema();
    a = node("node-a");
    b = node("node-b");
    db.exec("CREATE TABLE " + schema + ".orders (id integer PRIMARY KEY)");
    caller = db.connect();
    caller.setAutoCommit(false);
  }

  @AfterEach
  void stop() throws SQLException {
    caller.close();
    a.close();
    b.close();
    db.drop(schema);
  }

  private Errand node(String name) {
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(4).build();
    return Errand.builder().store(store).node(name)
        .queue(QueueSpec.builder("double", Integer.class, ctx -> {
          ranOn.put(ctx.id(), name);
          return ctx.args() * 2;
        }).workers(2).build())
        .shutdownGrace(Duration.ofSeconds(5)).build();
  }

  @Test
  void aTaskSubmittedInACommittedTransactionRunsAndOneRolledBackNeverExists() throws Exception {
    order(1);
    long committed = a.submit(caller, "double", 21, SubmitOptions.DEFAULTS);
    assertThat(b.get(committed)).as("not visible before the commit").isEmpty();
    caller.commit();
    order(2);
    long rolledBack = a.submit(caller, "double", 5, SubmitOptions.DEFAULTS);
    caller.rollback();

    await().atMost(RUNS).until(() -> b.get(committed).map(TaskInfo::status).orElse(null)
        == TaskStatus.SUCCESS);
    assertThat(b.get(committed).orElseThrow().result(Integer.class)).isEqualTo(42);
    assertThat(a.get(rolledBack)).isEmpty();
    assertThat(ranOn).containsOnlyKeys(committed);
    assertThat(orders()).isEqualTo(1);
  }

  @Test
  void refusalsThrowTheirExceptionAndLeaveTheTransactionUsable() throws Exception {
    order(1);
    assertThatThrownBy(() -> a.submit(caller, "nope", 1, SubmitOptions.DEFAULTS))
        .isInstanceOf(UnknownQueueException.class);
    assertThatThrownBy(() -> a.submit(caller, "double", "not a number", SubmitOptions.DEFAULTS))
        .isInstanceOf(InvalidTaskException.class);
    order(2);
    BatchRef batch = a.submitBatch(caller, "double", List.of(1, 2, 3));
    caller.commit();

    await().atMost(RUNS).until(() -> batch.ids().stream().allMatch(id -> b.get(id)
        .map(TaskInfo::status).orElse(null) == TaskStatus.SUCCESS));
    assertThat(orders()).isEqualTo(2);
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
