package io.errand.postgres;

import io.errand.jdbc.StoredTask;
import io.errand.spi.Transition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code nodes} table: one row per open store, with the database's time of its last
 * heartbeat (so the nodes' own clocks never matter) and its lease. A task claimed by a store
 * records the store's row id as its {@code owner}. Once an owner's heartbeat is older than its
 * own lease (each node states its lease, so nodes configured differently still judge each
 * other right), or its row is gone, any live node {@link #rescue rescues} its RUNNING tasks: they become WAITING again, due now, their
 * attempt counted (at-least-once), or CANCELLED if a cancel had been requested, as a retry of
 * them would be. The dead node's row goes with them.
 */
final class Nodes {
  private static final String DEAD_OWNER = " AND owner <> ? AND NOT EXISTS (SELECT 1 FROM "
      + "{s}.nodes n WHERE n.id = t.owner AND n.heartbeat_at >= now() - n.lease_ms * "
      + "interval '1 millisecond')";

  private final String register;
  private final String beat;
  private final String comeBack;
  private final String cancelDead;
  private final String requeueDead;
  private final String forgetDead;
  private final String unregister;
  private final WaitingCounts counts;

  Nodes(String schema, WaitingCounts counts) {
    this.counts = counts;
    register = Schema.qualify(schema, "INSERT INTO {s}.nodes (name, lease_ms) VALUES (?, ?) "
        + "RETURNING id");
    beat = Schema.qualify(schema, "UPDATE {s}.nodes SET heartbeat_at = now() WHERE id = ?");
    comeBack = Schema.qualify(schema, "INSERT INTO {s}.nodes (id, name, lease_ms) "
        + "VALUES (?, ?, ?) "
        + "ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()");
    cancelDead = Schema.qualify(schema, "UPDATE {s}.tasks t SET status = '"
        + Transition.CANCEL_RUNNING.to() + "', message = cancel_reason, finished_at = ?, "
        + "node = NULL, owner = NULL WHERE status = '" + Transition.CANCEL_RUNNING.from()
        + "' AND cancel_requested" + DEAD_OWNER + " RETURNING " + Row.COLUMNS);
    requeueDead = Schema.qualify(schema, "UPDATE {s}.tasks t SET status = '"
        + Transition.REQUEUE.to() + "', run_at = ?, ready = true, node = NULL, owner = NULL "
        + "WHERE status = '" + Transition.REQUEUE.from() + "'"
        + DEAD_OWNER + " RETURNING queue");
    forgetDead = Schema.qualify(schema, "DELETE FROM {s}.nodes WHERE id <> ? AND heartbeat_at "
        + "< now() - lease_ms * interval '1 millisecond'");
    unregister = Schema.qualify(schema, "DELETE FROM {s}.nodes WHERE id = ?");
  }

  /** What a rescue did: the tasks it cancelled, and the queues of those it requeued. */
  record Rescued(List<StoredTask> cancelled, Set<String> queues, int requeued) {}

  /** A new row for a store on node {@code name}; its id. */
  long register(Tx tx, String name, Duration lease) throws SQLException {
    try (PreparedStatement ps = tx.prepare(register)) {
      ps.setString(1, name);
      ps.setLong(2, lease.toMillis());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Records a heartbeat of node {@code id}.
   *
   * @return false if its row was gone (it was presumed dead and its tasks rescued) and was
   *     written again
   */
  boolean beat(Tx tx, long id, String name, Duration lease) throws SQLException {
    try (PreparedStatement ps = tx.prepare(beat)) {
      ps.setLong(1, id);
      if (ps.executeUpdate() > 0) {
        return true;
      }
    }
    try (PreparedStatement ps = tx.prepare(comeBack)) {
      ps.setLong(1, id);
      ps.setString(2, name);
      ps.setLong(3, lease.toMillis());
      ps.executeUpdate();
    }
    return false;
  }

  /** Rescues the RUNNING tasks of nodes silent for longer than their lease; see the class. */
  Rescued rescue(Tx tx, long self, Instant now) throws SQLException {
    List<StoredTask> cancelled = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(cancelDead)) {
      ps.setObject(1, Row.timestamp(now));
      ps.setLong(2, self);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cancelled.add(Row.read(rs));
        }
      }
    }
    Map<String, Integer> perQueue = new TreeMap<>(); // in queue order: no deadlock
    int requeued = 0;
    try (PreparedStatement ps = tx.prepare(requeueDead)) {
      ps.setObject(1, Row.timestamp(now));
      ps.setLong(2, self);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          perQueue.merge(rs.getString(1), 1, Integer::sum);
          requeued++;
        }
      }
    }
    for (Map.Entry<String, Integer> e : perQueue.entrySet()) {
      counts.add(tx, e.getKey(), e.getValue());
    }
    Set<String> queues = new LinkedHashSet<>(perQueue.keySet());
    try (PreparedStatement ps = tx.prepare(forgetDead)) {
      ps.setLong(1, self);
      ps.executeUpdate();
    }
    return new Rescued(cancelled, queues, requeued);
  }

  /** Removes node {@code id}'s row (a graceful close). */
  void unregister(Tx tx, long id) throws SQLException {
    try (PreparedStatement ps = tx.prepare(unregister)) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
  }
}
