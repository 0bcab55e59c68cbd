package io.errand.jdbc;

import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.api.ScheduleState;
import io.errand.spi.PayloadCodec;
import io.errand.spi.StoredSchedule;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * A schedule's row as read, its definition still in text form (spec, policies, jitter) and its
 * fixed args still JSON. Reading it happens while the connection is held; {@link #toStored}
 * parses it afterwards, on the caller's thread. The one mapping of a row to a
 * {@link StoredSchedule} for every SQL store.
 *
 * @param lastTask the task of the last run, or 0 before the first
 */
public record StoredScheduleRow(String name, String queue, String spec, String args,
    String jitter, Instant start, Instant end, String missed, String overlap, ScheduleState state,
    Instant nextDue, Instant held, Instant lastOccurrence, long lastTask, Instant lastFiredAt) {

  /** The columns {@link #read} expects, in order (every store names them the same). */
  public static final String COLUMNS = "name, queue, spec, args, jitter, start_at, end_at, "
      + "missed, overlap, state, next_due, held, last_occurrence, last_task, last_fired_at";

  /** The row at {@code rs}'s cursor, whose columns are {@link #COLUMNS}. */
  public static StoredScheduleRow read(ResultSet rs, Dialect dialect) throws SQLException {
    return new StoredScheduleRow(rs.getString(1), rs.getString(2), rs.getString(3),
        rs.getString(4), rs.getString(5), dialect.time(rs, 6), dialect.time(rs, 7),
        rs.getString(8), rs.getString(9), ScheduleState.valueOf(rs.getString(10)),
        dialect.time(rs, 11), dialect.time(rs, 12), dialect.time(rs, 13), rs.getLong(14),
        dialect.time(rs, 15));
  }

  /**
   * The schedule this row keeps, its fixed args decoded as its queue's argument type through
   * {@code codec}, or as plain JSON values when they no longer read as it (the queue's type
   * changed since): one such schedule must not hide every other from the runner and the API;
   * its tasks then fail as any task whose args do not read.
   *
   * @throws io.errand.api.InvalidScheduleException if the stored spec no longer parses (a row
   *     written by hand)
   */
  public StoredSchedule toStored(PayloadCodec codec) {
    Schedule.Builder b = Schedule.builder(name, queue, ScheduleSpec.parse(spec))
        .jitter(Duration.parse(jitter))
        .start(start)
        .end(end)
        .missed(MissedRunPolicy.parse(missed))
        .overlap(OverlapPolicy.parse(overlap));
    if (args != null) {
      b.args(codec.decodeArgsToShow(queue, args));
    }
    StoredSchedule.LastRun last = lastOccurrence == null || lastFiredAt == null ? null
        : new StoredSchedule.LastRun(lastOccurrence, lastTask, lastFiredAt);
    return new StoredSchedule(b.build(), state, nextDue, held, last);
  }
}
