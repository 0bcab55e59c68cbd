package io.errand.jdbc;

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
import java.util.List;

/**
 * A task's row as read, still in stored form (JSON text). Reading it is cheap and happens while
 * the connection is held; decoding the JSON into a {@link TaskRecord} happens afterwards, on
 * the caller's thread. The one mapping of a row to a record for every SQL store.
 */
public record StoredTask(long id, String queue, TaskStatus status, long current, long total,
    String message, String result, String args, int attempt, String errors, Instant createdAt,
    Instant startedAt, Instant finishedAt, Instant runAt, String key, int priority, long group,
    String cancelReason, boolean cancelRequested, String node, long next,
    String previousResult) {

  /** The columns {@link #read} expects, in order (every store names them the same). */
  public static final String COLUMNS = "id, queue, status, current, total, message, result, "
      + "args, attempt, errors, created_at, started_at, finished_at, run_at, key, priority, grp, "
      + "cancel_reason, cancel_requested, node, next, previous_result";

  /** The row at {@code rs}'s cursor, whose columns are {@link #COLUMNS}. */
  public static StoredTask read(ResultSet rs, Dialect dialect) throws SQLException {
    return new StoredTask(rs.getLong(1), rs.getString(2), TaskStatus.valueOf(rs.getString(3)),
        rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8),
        rs.getInt(9), rs.getString(10), dialect.time(rs, 11), dialect.time(rs, 12),
        dialect.time(rs, 13), dialect.time(rs, 14), rs.getString(15), rs.getInt(16),
        rs.getLong(17), rs.getString(18), dialect.flag(rs, 19), rs.getString(20),
        rs.getLong(21), rs.getString(22));
  }

  /** The one row {@code ps} returns ({@link #COLUMNS}), or null if it returns none. */
  public static StoredTask one(PreparedStatement ps, Dialect dialect) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? read(rs, dialect) : null;
    }
  }

  /**
   * The record users see. A FAILURE's response is its last error, rebuilt from the stored
   * errors; a SUCCESS's response is its result read back as the queue's result type (plain JSON
   * values when it declares none, or when it no longer reads as that type). Arguments that
   * cannot be read as their queue's type (it changed since the task was stored) are shown as
   * plain JSON values rather than hiding the task.
   */
  public TaskRecord toRecord(PayloadCodec codec) {
    return toRecord(codec, codec.decodeArgsToShow(queue, args));
  }

  /**
   * The record a worker runs: its arguments read as the queue's type.
   *
   * @throws RuntimeException if they cannot be ({@link UnreadableArgs})
   */
  public TaskRecord toRunnableRecord(PayloadCodec codec) {
    return toRecord(codec, codec.decodeArgs(queue, args));
  }

  private TaskRecord toRecord(PayloadCodec codec, Object decodedArgs) {
    List<TaskError> errs = StoredErrors.decode(errors);
    Object response = codec.decodeResponse(queue, status, result, errs);
    TaskInfo info = TaskInfo.builder(id, queue, status, createdAt)
        .progress(current, total, message).response(response).args(decodedArgs)
        .attempts(attempt, errs).ran(startedAt, finishedAt).runAt(runAt)
        .keyAndPriority(key, priority).group(group).cancelReason(cancelReason).build();
    return new TaskRecord(info, next,
        previousResult == null ? null : codec.decodeResult(previousResult), cancelRequested,
        node);
  }
}
