package io.errand.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How many tasks of each queue are WAITING, kept in {@code <schema>.waiting} by every change
 * that puts a task into WAITING or takes one out, in that change's own transaction: an insert
 * checks capacity by reading a few rows instead of counting the queue's waiting tasks, which
 * cost as much as the backlog on every submit.
 *
 * <p>Striped: a connection adds to its own slot of the queue (its backend pid modulo
 * {@link #SLOTS}), so claims on many connections seldom wait for one another's row; the count
 * is the sum of the queue's slots. A transaction that changes several queues' counts changes
 * them in queue order, so two of them sharing a slot cannot deadlock. A count read while
 * claims are in flight may still include them: inserts, serialized per queue by their advisory
 * lock, never see more room than there is.
 */
final class WaitingCounts {
  static final int SLOTS = 16;
  /** Adds {@code n} to the slot of queue {@code queue}: the tail of an INSERT of those two. */
  static final String ADD_ON_CONFLICT = " ON CONFLICT (queue, slot) DO UPDATE SET n = w.n + "
      + "excluded.n";
  /** This connection's slot, in SQL. */
  static final String SLOT = "pg_backend_pid() % " + SLOTS;
  /** The count of queue {@code ?}: the sum of its slots. */
  static final String COUNT = "SELECT coalesce(sum(n), 0) FROM {s}.waiting WHERE queue = ?";

  private final String add;
  private final String count;

  WaitingCounts(String schema) {
    add = Schema.qualify(schema, "INSERT INTO {s}.waiting AS w (queue, slot, n) VALUES (?, "
        + SLOT + ", ?)" + ADD_ON_CONFLICT);
    count = Schema.qualify(schema, COUNT);
  }

  /** Adds {@code delta} to the count of {@code queue}. */
  void add(Tx tx, String queue, long delta) throws SQLException {
    try (PreparedStatement ps = tx.prepare(add)) {
      ps.setString(1, queue);
      ps.setLong(2, delta);
      ps.executeUpdate();
    }
  }

  /** The WAITING tasks of {@code queue}, as committed (plus this transaction's changes). */
  long count(Tx tx, String queue) throws SQLException {
    try (PreparedStatement ps = tx.prepare(count)) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
