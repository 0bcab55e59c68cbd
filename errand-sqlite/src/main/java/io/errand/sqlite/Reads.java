package io.errand.sqlite;

import io.errand.api.BatchStatus;
import io.errand.api.ErrandException;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's queries, on their own connection (WAL lets it read while the writer writes).
 * A JDBC connection is not thread-safe, so readers take turns on it. Each query runs in
 * autocommit and so sees everything committed before it started: a caller whose write was
 * acknowledged reads it back.
 */
final class Reads {
  /**
   * The earliest run_at of a queue's WAITING, not held tasks: the least of two probes of
   * {@code tasks_due}, one among the delayed tasks and one among the ready ones.
   */
  static final String NEXT_DUE = "SELECT min(m) FROM (SELECT min(run_at) AS m FROM tasks WHERE "
      + "queue = ? AND status = 'WAITING' AND held = 0 AND ready = 0 UNION ALL SELECT "
      + "min(run_at) FROM tasks WHERE queue = ? AND status = 'WAITING' AND held = 0 AND "
      + "ready = 1)";
  private final Statements sql;
  private final String file;
  private final ReentrantLock lock = new ReentrantLock();

  Reads(Statements sql, String file) {
    this.sql = sql;
    this.file = file;
  }

  /** A stored key, still encoded. */
  record KeyRow(String key, String args, boolean paused) {}

  @FunctionalInterface
  private interface Query<T> {
    T run(Statements sql) throws SQLException;
  }

  private <T> T locked(Query<T> q) {
    lock.lock();
    try {
      return q.run(sql);
    } catch (SQLException e) {
      throw new ErrandException("store_failed", "the SQLite store " + file + " failed: "
          + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  Row find(long id) {
    return locked(s -> Writes.row(s, id));
  }

  /** Up to {@code limit + 1} rows, newest first: one more than a page tells whether more follow. */
  List<Row> list(TaskQuery q) {
    StringBuilder where = new StringBuilder(" WHERE id < ?");
    if (q.queue() != null) {
      where.append(" AND queue = ?");
    }
    if (q.status() != null) {
      where.append(" AND status = ?");
    }
    String text = "SELECT " + Row.COLUMNS + " FROM tasks" + where + " ORDER BY id DESC LIMIT ?";
    return locked(s -> {
      PreparedStatement ps = s.get(text);
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
    });
  }

  /** Epoch micros of the earliest runAt of a claimable task of {@code queue}, or null. */
  Long nextDue(String queue) {
    return locked(s -> {
      PreparedStatement ps = s.get(NEXT_DUE);
      ps.setString(1, queue);
      ps.setString(2, queue);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    });
  }

  BatchStatus group(long group) {
    return locked(s -> {
      PreparedStatement ps = s.get("SELECT status, count(*) FROM tasks WHERE grp = ? "
          + "GROUP BY status");
      ps.setLong(1, group);
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
      return new BatchStatus(group, total, by[TaskStatus.WAITING.ordinal()],
          by[TaskStatus.RUNNING.ordinal()], by[TaskStatus.SUCCESS.ordinal()],
          by[TaskStatus.FAILURE.ordinal()], by[TaskStatus.CANCELLED.ordinal()]);
    });
  }

  List<Long> liveInGroup(long group) {
    return locked(s -> {
      PreparedStatement ps = s.get("SELECT id FROM tasks WHERE grp = ? AND status IN "
          + "('WAITING', 'RUNNING') ORDER BY id");
      ps.setLong(1, group);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    });
  }

  List<KeyRow> keys(String supervisor) {
    return locked(s -> {
      PreparedStatement ps = s.get("SELECT key, args, paused FROM keys WHERE supervisor = ?");
      ps.setString(1, supervisor);
      List<KeyRow> keys = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(new KeyRow(rs.getString(1), rs.getString(2), rs.getInt(3) != 0));
        }
      }
      return keys;
    });
  }

  void close() {
    lock.lock();
    try {
      sql.close();
    } catch (SQLException e) {
      // the connection is going anyway
    } finally {
      lock.unlock();
    }
  }
}
