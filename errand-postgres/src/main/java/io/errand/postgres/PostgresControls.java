package io.errand.postgres;

import io.errand.spi.FlowLimits;
import io.errand.spi.QueueControls;
import io.errand.spi.TaskRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The PostgreSQL store's flow control, kept in {@code queue_controls} and shared by every node:
 * a claim's statement skips a paused queue ({@link Attempts#NOT_PAUSED}), so a pause stops
 * every node's claims at its commit, with no notification to wait for. A resume sends the
 * queue's work notification in its transaction, so idle workers on every node look at once.
 * A concurrency limit is exact across nodes: a limited claim locks the queue's row, counts the
 * running tasks and takes no more than the room left, in one transaction.
 */
final class PostgresControls implements QueueControls {
  private final Supplier<Opened> opened;
  private final String pause;
  private final String resume;
  private final String paused;
  private final String controlRow;
  private final String schema;

  PostgresControls(Supplier<Opened> opened, String schema) {
    this.opened = opened;
    this.schema = schema;
    this.pause = Schema.qualify(schema, "INSERT INTO {s}.queue_controls AS c (queue, paused_at) "
        + "VALUES (?, ?) ON CONFLICT (queue) DO UPDATE SET paused_at = excluded.paused_at "
        + "WHERE c.paused_at IS NULL RETURNING queue");
    this.resume = Schema.qualify(schema, "UPDATE {s}.queue_controls SET paused_at = NULL "
        + "WHERE queue = ? AND paused_at IS NOT NULL RETURNING queue");
    this.paused = Schema.qualify(schema, "SELECT queue, paused_at FROM {s}.queue_controls "
        + "WHERE paused_at IS NOT NULL");
    this.controlRow = Schema.qualify(schema, "INSERT INTO {s}.queue_controls (queue) VALUES (?) "
        + "ON CONFLICT (queue) DO NOTHING");
  }

  @Override
  public boolean pause(String queue, Instant at) {
    return opened.get().db.autocommit(tx -> {
      try (PreparedStatement ps = tx.prepare(pause)) {
        ps.setString(1, queue);
        ps.setObject(2, Row.timestamp(at));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public boolean resume(String queue, Instant at) {
    Opened o = opened.get();
    return o.db.transaction(tx -> {
      boolean changed;
      try (PreparedStatement ps = tx.prepare(resume)) {
        ps.setString(1, queue);
        try (ResultSet rs = ps.executeQuery()) {
          changed = rs.next();
        }
      }
      if (changed) {
        o.signalling.work(tx, queue);
      }
      return changed;
    });
  }

  /**
   * Makes sure the queue's control row exists (a limited claim locks it), then caps this node's
   * claims of the queue.
   */
  @Override
  public void limitConcurrency(String queue, int limit) {
    QueueControls.checkLimit(queue, limit);
    Opened o = opened.get();
    o.db.autocommit(tx -> {
      try (PreparedStatement ps = tx.prepare(controlRow)) {
        ps.setString(1, queue);
        return ps.executeUpdate();
      }
    });
    o.attempts.limit(queue, limit);
  }

  /**
   * Makes sure the queue's control row exists (a limited claim locks it) and its index of
   * ready tasks by key value, then claims the queue by these limits on this node.
   */
  @Override
  public void limitFlow(String queue, FlowLimits limits) {
    Opened o = opened.get();
    PostgresFlow flow = new PostgresFlow(schema, queue, java.util.Objects.requireNonNull(limits,
        "limits"));
    o.db.autocommit(tx -> {
      try (PreparedStatement ps = tx.prepare(controlRow)) {
        ps.setString(1, queue);
        return ps.executeUpdate();
      }
    });
    if (flow.index() != null) {
      try {
        o.db.autocommit(tx -> {
          try (java.sql.Statement s = tx.connection.createStatement()) {
            return s.executeUpdate(flow.index());
          }
        });
      } catch (RuntimeException raced) {
        // Two nodes made it at once: IF NOT EXISTS does not cover the race; one of them won.
        o.db.autocommit(tx -> {
          try (java.sql.Statement s = tx.connection.createStatement()) {
            return s.executeUpdate(flow.index());
          }
        });
      }
    }
    o.attempts.flow(queue, flow);
  }

  @Override
  public java.util.Optional<String> heldBack(TaskRecord task, Instant now) {
    Opened o = opened.get();
    PostgresFlow flow = o.attempts.flowOf(task.info().queue());
    return flow == null ? java.util.Optional.empty()
        : o.db.autocommit(tx -> flow.heldBack(tx, task.id(), now));
  }

  @Override
  public long running(String queue) {
    Opened o = opened.get();
    return o.db.autocommit(tx -> o.attempts.running(tx, queue));
  }

  @Override
  public Map<String, Instant> paused() {
    return opened.get().db.autocommit(tx -> {
      Map<String, Instant> all = new TreeMap<>();
      try (PreparedStatement ps = tx.prepare(paused); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
        }
      }
      return all;
    });
  }
}
