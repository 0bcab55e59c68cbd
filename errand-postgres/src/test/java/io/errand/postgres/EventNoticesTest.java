package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.QueueSpec;
import io.errand.api.TaskEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Who tells the nodes of new events (docs/postgres.md 4.1): not the writing transaction (its
 * commit would hold PostgreSQL's notification lock through its WAL flush), but the node that
 * committed, after the commit; and the sweep, for a writer no node knows of.
 */
class EventNoticesTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private final TestDatabase db = TestDatabase.get();
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
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(3)
        .sweep(Duration.ofMillis(200)).build();
    return Errand.builder().store(store).node(name)
        .queue(QueueSpec.builder("served", Integer.class, ctx -> ctx.args()).workers(1).build())
        .listener("record", seen::add).shutdownGrace(Duration.ofSeconds(5)).build();
  }

  /**
   * A transaction that writes a task (and so its event) sends no notification with its commit:
   * a sentinel notified after that commit, on the same session, arrives with nothing of the
   * trigger's before it (one session's notifications arrive in commit order).
   */
  @Test
  void aWritingTransactionNotifiesNothingAtItsCommit() throws Exception {
    try (Connection listening = db.connect(); Connection writing = db.connect()) {
      try (Statement s = listening.createStatement()) {
        s.execute("LISTEN " + schema + "_events");
        s.execute("LISTEN " + schema + "_work");
        s.execute("LISTEN " + schema + "_sentinel");
      }
      writing.setAutoCommit(false);
      try (Statement s = writing.createStatement()) {
        s.executeUpdate(insertUnserved());
        s.executeUpdate("UPDATE " + schema + ".tasks SET status = 'RUNNING', attempt = 1, "
            + "started_at = now() WHERE queue = 'unserved'");
      }
      writing.commit();
      writing.setAutoCommit(true);
      try (Statement s = writing.createStatement()) {
        s.execute("NOTIFY " + schema + "_sentinel");
      }
      List<String> before = new ArrayList<>();
      PGConnection pg = listening.unwrap(PGConnection.class);
      await().atMost(LONG).until(() -> {
        PGNotification[] ns = pg.getNotifications(100);
        boolean sentinel = false;
        for (PGNotification n : ns == null ? new PGNotification[0] : ns) {
          if (n.getName().equals(schema + "_sentinel")) {
            sentinel = true;
          } else if (!sentinel && n.getPID() == pid(writing)) {
            before.add(n.getName() + " " + n.getParameter());
          }
        }
        return sentinel;
      });
      assertThat(before).as("notifications of the writing session before its sentinel")
          .isEmpty();
      try (Statement s = writing.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT string_agg(type, ',' ORDER BY seq) FROM " + schema + ".events")) {
        rs.next();
        assertThat(rs.getString(1)).as("the events were logged all the same")
            .isEqualTo("ADDED,STARTED");
      }
    }
  }

  /** Events a writer no node knows of logged reach every node through the sweep. */
  @Test
  void eventsNoNodeAnnouncedReachEveryNodeThroughTheSweep() {
    db.exec(insertUnserved());
    await().atMost(LONG).untilAsserted(() -> {
      for (List<TaskEvent> seen : List.of(seenByA, seenByB)) {
        assertThat(seen).filteredOn(e -> e.queue().equals("unserved"))
            .extracting(TaskEvent::type).containsExactly(EventType.ADDED);
      }
    });
  }

  /** A node's events reach the other node, though no writing transaction notified. */
  @Test
  void aNodesEventsReachTheOtherNode() {
    long id = a.submit("served", 21);
    await().atMost(LONG).untilAsserted(() -> assertThat(seenByB)
        .filteredOn(e -> e.taskId() == id).extracting(TaskEvent::type)
        .containsExactly(EventType.ADDED, EventType.STARTED, EventType.SUCCEEDED));
  }

  private String insertUnserved() {
    return "INSERT INTO " + schema + ".tasks (queue, status, created_at, run_at) "
        + "VALUES ('unserved', 'WAITING', now(), now())";
  }

  private static int pid(Connection c) throws Exception {
    return c.unwrap(PGConnection.class).getBackendPID();
  }
}
