package io.errand.postgres;

import io.errand.api.NodeInfo;
import io.errand.api.TaskEvent;
import io.errand.spi.ClusterStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL store's cluster role: the {@code nodes} table with each node's running
 * tasks, the RUNNING tasks per queue of all nodes, and the event log ({@link EventLogSchema},
 * {@link EventTail}, {@link EventAppender}).
 */
final class PostgresCluster implements ClusterStore {
  private final PostgresStore store;
  private final String nodes;
  private final String running;
  private final String after;
  private final String claim;

  PostgresCluster(PostgresStore store, String schema) {
    this.store = store;
    this.nodes = Schema.qualify(schema, "SELECT n.id, n.name, n.started_at, n.heartbeat_at, "
        + "n.lease_ms, (SELECT count(*) FROM {s}.tasks t WHERE t.status = 'RUNNING' AND "
        + "t.owner = n.id) FROM {s}.nodes n ORDER BY n.id");
    this.running = Schema.qualify(schema, "SELECT queue, count(*) FROM {s}.tasks WHERE "
        + "status = 'RUNNING' GROUP BY queue ORDER BY queue");
    this.after = Schema.qualify(schema, "SELECT " + EventTail.COLUMNS + " FROM {s}.events "
        + "WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
    this.claim = Schema.qualify(schema, "UPDATE {s}.events SET delivered = true WHERE seq = ? "
        + "AND NOT delivered");
  }

  @Override
  public long self() {
    return store.opened().signalling.self();
  }

  @Override
  public List<NodeInfo> nodes() {
    Opened o = store.opened();
    return o.db.autocommit(tx -> {
      List<NodeInfo> all = new ArrayList<>();
      try (PreparedStatement ps = tx.prepare(nodes); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(new NodeInfo(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
              rs.getTimestamp(4).toInstant(), Duration.ofMillis(rs.getLong(5)), rs.getLong(6)));
        }
      }
      return all;
    });
  }

  @Override
  public Map<String, Long> running() {
    Opened o = store.opened();
    return o.db.autocommit(tx -> {
      Map<String, Long> counts = new LinkedHashMap<>();
      try (PreparedStatement ps = tx.prepare(running); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts.put(rs.getString(1), rs.getLong(2));
        }
      }
      return counts;
    });
  }

  @Override
  public List<TaskEvent> eventsAfter(long seq, int max) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0, was " + seq);
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    Opened o = store.opened();
    long upTo = o.tail.delivered();
    if (seq >= upTo) {
      return List.of();
    }
    return o.db.autocommit(tx -> EventTail.read(tx, after, seq, upTo, max));
  }

  @Override
  public boolean claimDelivery(long seq) {
    return store.opened().db.autocommit(tx -> {
      try (PreparedStatement ps = tx.prepare(claim)) {
        ps.setLong(1, seq);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public void append(TaskEvent event) {
    store.opened().appender.append(event);
  }
}
