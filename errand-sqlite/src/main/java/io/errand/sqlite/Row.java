package io.errand.sqlite;

import io.errand.api.TaskStatus;
import io.errand.jdbc.StoredTask;
import io.errand.spi.EpochMicros;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A task's row as the writer thread reads it, still in stored form (JSON text, epoch micros):
 * the writer makes no time objects and never spends its time in Jackson. The caller's thread
 * turns it into the shared {@link StoredTask}, and that into a record.
 */
record Row(long id, String queue, TaskStatus status, long current, long total, String message,
    String result, String args, int attempt, String errors, long createdAt, Long startedAt,
    Long finishedAt, long runAt, String key, int priority, long group, String cancelReason,
    boolean cancelRequested, String node, long next, String previousResult) {

  /** The columns {@link #read} expects, in order. */
  static final String COLUMNS = StoredTask.COLUMNS;

  /** The columns {@link #claimed} reads: those a claim leaves as they were. */
  static final String CLAIM_COLUMNS = "id, current, total, message, args, attempt, errors, "
      + "created_at, run_at, key, priority, grp, next, previous_result";

  /**
   * A row a claim just returned ({@link #CLAIM_COLUMNS}), completed with what the claim set
   * itself. Reading fewer columns matters: the driver makes a buffer per column and per text
   * value, and the writer claims once per task.
   */
  static Row claimed(ResultSet rs, String queue, String node, long startedAt)
      throws SQLException {
    return new Row(rs.getLong(1), queue, TaskStatus.RUNNING, rs.getLong(2), rs.getLong(3),
        rs.getString(4), null, rs.getString(5), rs.getInt(6), rs.getString(7), rs.getLong(8),
        startedAt, null, rs.getLong(9), rs.getString(10), rs.getInt(11), rs.getLong(12), null,
        false, node, rs.getLong(13), rs.getString(14));
  }

  /** The columns of a running task that others change: progress and a cancel request. */
  static final String RUNNING_CHANGES = "current, total, message, cancel_reason, "
      + "cancel_requested";

  /** This claimed row after its success; {@code rs} holds {@link #RUNNING_CHANGES}. */
  Row succeeded(ResultSet rs, String result, long finishedAt) throws SQLException {
    return new Row(id, queue, TaskStatus.SUCCESS, rs.getLong(1), rs.getLong(2), rs.getString(3),
        result, args, attempt, errors, createdAt, startedAt, finishedAt, runAt, key, priority,
        group, rs.getString(4), rs.getInt(5) != 0, null, next, previousResult);
  }

  static Row read(ResultSet rs) throws SQLException {
    return new Row(rs.getLong(1), rs.getString(2), TaskStatus.valueOf(rs.getString(3)),
        rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8),
        rs.getInt(9), rs.getString(10), rs.getLong(11), nullableLong(rs, 12),
        nullableLong(rs, 13), rs.getLong(14), rs.getString(15), rs.getInt(16), rs.getLong(17),
        rs.getString(18), rs.getInt(19) != 0, rs.getString(20), rs.getLong(21),
        rs.getString(22));
  }

  /** This row in the form every SQL store maps to a record ({@link StoredTask#toRecord}). */
  StoredTask stored() {
    return new StoredTask(id, queue, status, current, total, message, result, args, attempt,
        errors, instant(createdAt), instant(startedAt), instant(finishedAt), instant(runAt), key,
        priority, group, cancelReason, cancelRequested, node, next, previousResult);
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static long micros(Instant t) {
    return EpochMicros.of(t);
  }

  static Instant instant(Long micros) {
    return micros == null ? null : instant(micros.longValue());
  }

  static Instant instant(long micros) {
    return EpochMicros.instant(micros);
  }
}
