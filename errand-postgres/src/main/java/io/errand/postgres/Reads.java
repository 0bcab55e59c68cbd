package io.errand.postgres;

import io.errand.api.BatchStatus;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The store's queries, each one statement in autocommit: it sees everything committed before. */
final class Reads {
  /**
   * The earliest run_at of a queue's WAITING, not held tasks: the least of two probes of
   * {@code tasks_due}, one among the delayed tasks and one among the ready ones.
   */
  static final String NEXT_DUE = "SELECT least((SELECT min(run_at) FROM {s}.tasks WHERE queue = "
      + "? AND status = 'WAITING' AND NOT held AND NOT ready), (SELECT min(run_at) FROM "
      + "{s}.tasks WHERE queue = ? AND status = 'WAITING' AND NOT held AND ready))";
  private final String schema;
  private final String nextDue;
  private final String waiting;
  private final String group;
  private final String liveInGroup;
  private final String keys;
  private final String cancelledHere;

  Reads(String schema) {
    this.schema = schema;
    nextDue = Schema.qualify(schema, NEXT_DUE);
    waiting = Schema.qualify(schema, WaitingCounts.COUNT);
    group = Schema.qualify(schema, "SELECT status, count(*) FROM {s}.tasks WHERE grp = ? "
        + "GROUP BY status");
    liveInGroup = Schema.qualify(schema, "SELECT id FROM {s}.tasks WHERE grp = ? AND status IN "
        + "('WAITING', 'RUNNING') ORDER BY id");
    keys = Schema.qualify(schema, "SELECT key, args, paused FROM {s}.keys WHERE supervisor = ?");
    cancelledHere = Schema.qualify(schema, "SELECT id FROM {s}.tasks WHERE status = 'RUNNING' "
        + "AND owner = ? AND cancel_requested");
  }

  /** A stored key, still encoded. */
  record KeyRow(String key, String args, boolean paused) {}

  /** Up to {@code limit + 1} rows, newest first: one more than a page tells whether more follow. */
  List<Row> list(Tx tx, TaskQuery q) throws SQLException {
    StringBuilder where = new StringBuilder(" WHERE id < ?");
    if (q.queue() != null) {
      where.append(" AND queue = ?");
    }
    if (q.status() != null) {
      where.append(" AND status = ?");
    }
    String text = Schema.qualify(schema, "SELECT " + Row.COLUMNS + " FROM {s}.tasks" + where
        + " ORDER BY id DESC LIMIT ?");
    try (PreparedStatement ps = tx.prepare(text)) {
      int i = 1;
      ps.setLong(i++, q.cursor() > 0 ? q.cursor() : Long.MAX_VALUE);
      if (q.queue() != null) {
        ps.setString(i++, q.queue());
      }
      if (q.status() != null) {
        ps.setString(i++, q.status().name());
      }
      ps.setInt(i, q.limit() + 1);
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(Row.read(rs));
        }
      }
      return rows;
    }
  }

  Instant nextDue(Tx tx, String queue) throws SQLException {
    try (PreparedStatement ps = tx.prepare(nextDue)) {
      ps.setString(1, queue);
      ps.setString(2, queue);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
      }
    }
  }

  long waiting(Tx tx, String queue) throws SQLException {
    try (PreparedStatement ps = tx.prepare(waiting)) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  BatchStatus group(Tx tx, long id) throws SQLException {
    try (PreparedStatement ps = tx.prepare(group)) {
      ps.setLong(1, id);
      long[] by = new long[TaskStatus.values().length];
      long total = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long n = rs.getLong(2);
          by[TaskStatus.valueOf(rs.getString(1)).ordinal()] += n;
          total += n;
        }
      }
      if (total == 0) {
        return null;
      }
      return new BatchStatus(id, total, by[TaskStatus.WAITING.ordinal()],
          by[TaskStatus.RUNNING.ordinal()], by[TaskStatus.SUCCESS.ordinal()],
          by[TaskStatus.FAILURE.ordinal()], by[TaskStatus.CANCELLED.ordinal()]);
    }
  }

  List<Long> liveInGroup(Tx tx, long id) throws SQLException {
    return ids(tx, liveInGroup, id);
  }

  /** The tasks running on node {@code owner} with a cancel requested. */
  List<Long> cancelRequested(Tx tx, long owner) throws SQLException {
    return ids(tx, cancelledHere, owner);
  }

  List<KeyRow> keys(Tx tx, String supervisor) throws SQLException {
    try (PreparedStatement ps = tx.prepare(keys)) {
      ps.setString(1, supervisor);
      List<KeyRow> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new KeyRow(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
        }
      }
      return out;
    }
  }

  private static List<Long> ids(Tx tx, String sql, long param) throws SQLException {
    try (PreparedStatement ps = tx.prepare(sql)) {
      ps.setLong(1, param);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }
}
