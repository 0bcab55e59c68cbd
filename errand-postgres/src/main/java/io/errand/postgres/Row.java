package io.errand.postgres;

import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.PayloadCodec;
import io.errand.spi.StoredErrors;
import io.errand.spi.TaskRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A task's row as read, still in stored form (JSON text). Decoding the JSON into a
 * {@link TaskRecord} happens after the connection went back to the pool.
 */
record Row(long id, String queue, TaskStatus status, long current, long total, String message,
    String result, String args, int attempt, String errors, Instant createdAt, Instant startedAt,
    Instant finishedAt, Instant runAt, String key, int priority, long group, String cancelReason,
    boolean cancelRequested, String node, long owner, long next, String previousResult) {

  /** The columns {@link #read} expects, in order. */
  static final String COLUMNS = "id, queue, status, current, total, message, result, args, "
      + "attempt, errors, created_at, started_at, finished_at, run_at, key, priority, grp, "
      + "cancel_reason, cancel_requested, node, owner, next, previous_result";

  static Row read(ResultSet rs) throws SQLException {
    return new Row(rs.getLong(1), rs.getString(2), TaskStatus.valueOf(rs.getString(3)),
        rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8),
        rs.getInt(9), rs.getString(10), instant(rs, 11), instant(rs, 12), instant(rs, 13),
        instant(rs, 14), rs.getString(15), rs.getInt(16), rs.getLong(17), rs.getString(18),
        rs.getBoolean(19), rs.getString(20), rs.getLong(21), rs.getLong(22), rs.getString(23));
  }

  /** The one row {@code ps} returns, or null. */
  static Row one(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? read(rs) : null;
    }
  }

  /**
   * The record users see. A FAILURE's response is its last error; a SUCCESS's is its result
   * read back as plain JSON values. Arguments that cannot be read as their queue's type (it
   * changed since the task was stored) are shown as plain JSON values rather than hiding it.
   */
  TaskRecord toRecord(PayloadCodec codec) {
    return toRecord(codec, codec.decodeArgsToShow(queue, args));
  }

  /**
   * The record a worker runs: its arguments read as the queue's type.
   *
   * @throws RuntimeException if they cannot be
   */
  TaskRecord toRunnableRecord(PayloadCodec codec) {
    return toRecord(codec, codec.decodeArgs(queue, args));
  }

  private TaskRecord toRecord(PayloadCodec codec, Object decodedArgs) {
    List<TaskError> errs = StoredErrors.decode(errors);
    Object response = codec.decodeResponse(status, result, errs);
    TaskInfo info = new TaskInfo(id, queue, status, current, total, message, response,
        decodedArgs, attempt, errs, createdAt, startedAt, finishedAt, runAt, key, priority,
        group, cancelReason);
    return new TaskRecord(info, next,
        previousResult == null ? null : codec.decodeResult(previousResult), cancelRequested,
        node);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** {@code t} as PostgreSQL keeps it: to the microsecond (truncated, as the SQLite store). */
  static OffsetDateTime timestamp(Instant t) {
    return t == null ? null
        : OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }
}
