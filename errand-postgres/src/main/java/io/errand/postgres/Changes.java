package io.errand.postgres;

import io.errand.api.TaskStatus;
import io.errand.jdbc.StoredTask;
import io.errand.spi.Transition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The changes that are not a worker's: cancel requests, releases of chain steps, purges and
 * deletes, supervised keys.
 */
final class Changes {
  private final String lockTask;
  private final String cancelWaiting;
  private final String markCancel;
  private final String row;
  private final String release;
  private final String purge;
  private final String delete;
  private final String saveKey;
  private final String removeKey;
  private final WaitingCounts counts;
  private final Signalling signalling;

  Changes(String schema, Signalling signalling, WaitingCounts counts) {
    this.signalling = signalling;
    this.counts = counts;
    String returning = " RETURNING " + Row.COLUMNS;
    lockTask = Schema.qualify(schema, "SELECT status, cancel_requested, owner FROM {s}.tasks "
        + "WHERE id = ? FOR UPDATE");
    cancelWaiting = Schema.qualify(schema, "UPDATE {s}.tasks SET status = '"
        + Transition.CANCEL_WAITING.to() + "', cancel_reason = ?, message = ?, finished_at = ? WHERE id = ?" + returning);
    markCancel = Schema.qualify(schema, "UPDATE {s}.tasks SET cancel_requested = true, "
        + "cancel_reason = ? WHERE id = ?" + returning);
    row = Schema.qualify(schema, "SELECT " + Row.COLUMNS + " FROM {s}.tasks WHERE id = ?");
    release = Schema.qualify(schema, "UPDATE {s}.tasks SET held = false, ready = true, "
        + "previous_result = ?, run_at = ? WHERE id = ? AND status = 'WAITING' AND held "
        + "RETURNING queue");
    // Rows another node's purge holds are skipped, not waited for; ctid as in Attempts.PROMOTE.
    purge = Schema.qualify(schema, "DELETE FROM {s}.tasks WHERE ctid = ANY(ARRAY(SELECT ctid "
        + "FROM {s}.tasks WHERE queue = ? AND finished_at < ? ORDER BY finished_at LIMIT ? "
        + "FOR UPDATE SKIP LOCKED))");
    delete = Schema.qualify(schema, "DELETE FROM {s}.tasks WHERE id = ? AND status IN "
        + "('SUCCESS', 'FAILURE', 'CANCELLED')");
    saveKey = Schema.qualify(schema, "INSERT INTO {s}.keys (supervisor, key, args, paused) "
        + "VALUES (?, ?, ?, ?) ON CONFLICT (supervisor, key) DO UPDATE SET args = excluded.args,"
        + " paused = excluded.paused");
    removeKey = Schema.qualify(schema, "DELETE FROM {s}.keys WHERE supervisor = ? AND key = ?");
  }

  /** The answer of {@link #requestCancel}: the status before, and the row after. */
  record CancelOutcome(TaskStatus before, StoredTask row) {}

  /**
   * Cancels task {@code id}: WAITING becomes CANCELLED; RUNNING is marked and its node told.
   * The row is locked first, so a claim on any node either took it before (it is RUNNING here)
   * or skips it and never takes it (it is CANCELLED once the lock is released).
   */
  CancelOutcome requestCancel(Tx tx, long id, String reason, Instant at) throws SQLException {
    TaskStatus before;
    boolean requested;
    long owner;
    try (PreparedStatement ps = tx.prepare(lockTask)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        before = TaskStatus.valueOf(rs.getString(1));
        requested = rs.getBoolean(2);
        owner = rs.getLong(3);
      }
    }
    if (before == TaskStatus.WAITING) {
      try (PreparedStatement ps = tx.prepare(cancelWaiting)) {
        ps.setString(1, reason);
        ps.setString(2, reason);
        ps.setObject(3, Row.timestamp(at));
        ps.setLong(4, id);
        StoredTask row = Row.one(ps);
        counts.add(tx, row.queue(), -1);
        return new CancelOutcome(before, row);
      }
    }
    if (before == TaskStatus.RUNNING) {
      signalling.cancel(tx, id, owner);
      if (!requested) {
        try (PreparedStatement ps = tx.prepare(markCancel)) {
          ps.setString(1, reason);
          ps.setLong(2, id);
          return new CancelOutcome(before, Row.one(ps));
        }
      }
    }
    return new CancelOutcome(before, row(tx, id));
  }

  void release(Tx tx, long id, String previousResult, Instant now) throws SQLException {
    try (PreparedStatement ps = tx.prepare(release)) {
      ps.setString(1, previousResult);
      ps.setObject(2, Row.timestamp(now));
      ps.setLong(3, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          signalling.work(tx, rs.getString(1));
        }
      }
    }
  }

  int purge(Tx tx, String queue, Instant before, int limit) throws SQLException {
    try (PreparedStatement ps = tx.prepare(purge)) {
      ps.setString(1, queue);
      ps.setObject(2, Row.timestamp(before));
      ps.setInt(3, limit);
      return ps.executeUpdate();
    }
  }

  boolean delete(Tx tx, long id) throws SQLException {
    try (PreparedStatement ps = tx.prepare(delete)) {
      ps.setLong(1, id);
      return ps.executeUpdate() > 0;
    }
  }

  void saveKey(Tx tx, String supervisor, String key, String args, boolean paused)
      throws SQLException {
    try (PreparedStatement ps = tx.prepare(saveKey)) {
      ps.setString(1, supervisor);
      ps.setString(2, key);
      ps.setString(3, args);
      ps.setBoolean(4, paused);
      ps.executeUpdate();
    }
  }

  int removeKey(Tx tx, String supervisor, String key) throws SQLException {
    try (PreparedStatement ps = tx.prepare(removeKey)) {
      ps.setString(1, supervisor);
      ps.setString(2, key);
      return ps.executeUpdate();
    }
  }

  StoredTask row(Tx tx, long id) throws SQLException {
    try (PreparedStatement ps = tx.prepare(row)) {
      ps.setLong(1, id);
      return Row.one(ps);
    }
  }
}
