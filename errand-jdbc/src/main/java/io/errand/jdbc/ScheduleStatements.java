package io.errand.jdbc;

import io.errand.api.Schedule;
import io.errand.api.ScheduleState;
import io.errand.spi.NewTask;
import io.errand.spi.ScheduleStep;
import io.errand.spi.ScheduleStore.Applied;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements of a SQL store's schedule role, written once for every SQL store: each runs
 * on the connection and in the transaction its caller holds (the SQLite writer's batch, a
 * PostgreSQL transaction), through the store's {@link SqlRunner}.
 *
 * <p><b>Exactly once.</b> {@link #advance} is a compare-and-set: its {@code UPDATE} matches the
 * schedule only while it is ACTIVE and still waits for the expected {@code next_due}; only when
 * it changed the row does it insert the occurrence's task, through the caller's
 * {@link TaskInsert}, in the same transaction. Two deciders of the same occurrence both run the
 * {@code UPDATE}; the database serialises them on the row (SQLite: one writer; PostgreSQL: the
 * row lock), and the second matches nothing. A failed insert (a full queue) must roll back the
 * caller's transaction or savepoint, which undoes the move too.
 */
public final class ScheduleStatements {

  /** How the caller inserts a task in its own transaction; answers the task's id. */
  @FunctionalInterface
  public interface TaskInsert {
    /**
     * Inserts {@code task}, or finds the live task holding its key.
     *
     * @throws io.errand.api.QueueFullException if its queue is full
     */
    long insert(NewTask task) throws SQLException;
  }

  /**
   * A schedule's definition in stored form.
   *
   * @param args its fixed args as JSON, or null
   */
  public record Definition(Schedule schedule, String args) {}

  private final Dialect dialect;
  private final TimeParam time;
  private final String table;
  private final String define;
  private final String select;

  /** The statements on the {@code schedules} table {@code dialect} names. */
  public ScheduleStatements(Dialect dialect, TimeParam time) {
    this.dialect = dialect;
    this.time = time;
    this.table = dialect.table("schedules");
    this.define = "queue = ?, spec = ?, args = ?, jitter = ?, start_at = ?, end_at = ?, "
        + "missed = ?, overlap = ?";
    this.select = "SELECT " + StoredScheduleRow.COLUMNS + " FROM " + table;
  }

  /** Adds the schedule, ACTIVE; false, changing nothing, if its name is taken. */
  public boolean create(SqlRunner sql, Definition d, Instant nextDue) throws SQLException {
    return sql.run("INSERT INTO " + table + " (name, queue, spec, args, jitter, start_at, "
        + "end_at, missed, overlap, state, next_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT (name) DO NOTHING", ps -> {
          ps.setString(1, d.schedule().name());
          bindDefinition(ps, 2, d);
          ps.setString(10, ScheduleState.ACTIVE.name());
          time.set(ps, 11, nextDue);
          return ps.executeUpdate() == 1;
        });
  }

  /** Replaces the definition, keeping state, {@code next_due}, held and last run. */
  public boolean update(SqlRunner sql, Definition d) throws SQLException {
    return sql.run("UPDATE " + table + " SET " + define + " WHERE name = ?", ps -> {
      bindDefinition(ps, 1, d);
      ps.setString(9, d.schedule().name());
      return ps.executeUpdate() == 1;
    });
  }

  /** Replaces the definition and sets {@code next_due}, keeping state, held and last run. */
  public boolean reschedule(SqlRunner sql, Definition d, Instant nextDue) throws SQLException {
    return sql.run("UPDATE " + table + " SET " + define + ", next_due = ? WHERE name = ?", ps -> {
      bindDefinition(ps, 1, d);
      time.set(ps, 9, nextDue);
      ps.setString(10, d.schedule().name());
      return ps.executeUpdate() == 1;
    });
  }

  /** Removes the schedule; false if there was none. */
  public boolean delete(SqlRunner sql, String name) throws SQLException {
    return sql.run("DELETE FROM " + table + " WHERE name = ?", ps -> {
      ps.setString(1, name);
      return ps.executeUpdate() == 1;
    });
  }

  /** Sets the schedule's state; false if there is none. */
  public boolean setState(SqlRunner sql, String name, ScheduleState state) throws SQLException {
    return sql.run("UPDATE " + table + " SET state = ? WHERE name = ?", ps -> {
      ps.setString(1, state.name());
      ps.setString(2, name);
      return ps.executeUpdate() == 1;
    });
  }

  /** The schedule named {@code name}, or null. */
  public StoredScheduleRow find(SqlRunner sql, String name) throws SQLException {
    return sql.run(select + " WHERE name = ?", ps -> {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? StoredScheduleRow.read(rs, dialect) : null;
      }
    });
  }

  /** Every schedule, by name. */
  public List<StoredScheduleRow> list(SqlRunner sql) throws SQLException {
    return sql.run(select + " ORDER BY name", ps -> {
      List<StoredScheduleRow> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(StoredScheduleRow.read(rs, dialect));
        }
      }
      return rows;
    });
  }

  /**
   * The ACTIVE schedules due at {@code now} (earliest first), then those holding an
   * occurrence, at most {@code limit}: two index range reads (the store's partial indexes on
   * {@code next_due} and {@code held}), never a walk over every schedule.
   */
  public List<StoredScheduleRow> due(SqlRunner sql, Instant now, int limit) throws SQLException {
    String active = " WHERE state = '" + ScheduleState.ACTIVE.name() + "' AND ";
    List<StoredScheduleRow> rows = new ArrayList<>();
    sql.run(select + active + "next_due <= ? ORDER BY next_due LIMIT ?", ps -> {
      time.set(ps, 1, now);
      ps.setInt(2, limit);
      return readInto(ps, rows);
    });
    if (rows.size() < limit) {
      sql.run(select + active + "held IS NOT NULL AND (next_due IS NULL OR next_due > ?) "
          + "ORDER BY name LIMIT ?", ps -> {
            time.set(ps, 1, now);
            ps.setInt(2, limit - rows.size());
            return readInto(ps, rows);
          });
    }
    return rows;
  }

  /** The earliest {@code next_due} after {@code now} of the ACTIVE schedules, or null. */
  public Instant nextDueAfter(SqlRunner sql, Instant now) throws SQLException {
    return sql.run("SELECT min(next_due) FROM " + table + " WHERE state = '"
        + ScheduleState.ACTIVE.name() + "' AND next_due > ?", ps -> {
          time.set(ps, 1, now);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? dialect.time(rs, 1) : null;
          }
        });
  }

  private List<StoredScheduleRow> readInto(PreparedStatement ps, List<StoredScheduleRow> rows)
      throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(StoredScheduleRow.read(rs, dialect));
      }
    }
    return rows;
  }

  /**
   * Applies {@code step} if the schedule is ACTIVE and waits for {@code expected}: see the
   * class comment. Empty when it matched nothing.
   */
  public Optional<Applied> advance(SqlRunner sql, String name, Instant expected,
      ScheduleStep step, TaskInsert insert) throws SQLException {
    String where = " WHERE name = ? AND state = '" + ScheduleState.ACTIVE.name() + "' AND "
        + (expected == null ? "next_due IS NULL" : "next_due = ?");
    int changed = switch (step) {
      case ScheduleStep.Skip skip -> sql.run("UPDATE " + table + " SET next_due = ?" + where,
          ps -> {
            time.set(ps, 1, skip.nextDue());
            return bindWhere(ps, 2, name, expected).executeUpdate();
          });
      case ScheduleStep.Hold hold -> sql.run("UPDATE " + table + " SET next_due = ?, held = ?"
          + where, ps -> {
            time.set(ps, 1, hold.nextDue());
            time.set(ps, 2, hold.occurrence());
            return bindWhere(ps, 3, name, expected).executeUpdate();
          });
      case ScheduleStep.Fire fire -> sql.run("UPDATE " + table + " SET next_due = ?, "
          + "last_occurrence = ?, last_fired_at = ?" + where, ps -> {
            time.set(ps, 1, fire.nextDue());
            time.set(ps, 2, fire.occurrence());
            time.set(ps, 3, fire.task().createdAt());
            return bindWhere(ps, 4, name, expected).executeUpdate();
          });
    };
    if (changed == 0) {
      return Optional.empty();
    }
    if (step instanceof ScheduleStep.Fire fire) {
      return Optional.of(recordTask(sql, name, insert.insert(fire.task())));
    }
    return Optional.of(Applied.NONE);
  }

  /** Fires the held occurrence {@code held} if the schedule still holds it; empty if not. */
  public Optional<Applied> releaseHeld(SqlRunner sql, String name, Instant held, NewTask task,
      TaskInsert insert) throws SQLException {
    int changed = sql.run("UPDATE " + table + " SET held = NULL, last_occurrence = ?, "
        + "last_fired_at = ? WHERE name = ? AND held = ?", ps -> {
          time.set(ps, 1, held);
          time.set(ps, 2, task.createdAt());
          ps.setString(3, name);
          time.set(ps, 4, held);
          return ps.executeUpdate();
        });
    return changed == 0 ? Optional.empty() : Optional.of(recordTask(sql, name, insert.insert(task)));
  }

  /** Inserts a run-now task and records it as the last run; empty if there is no schedule. */
  public Optional<Applied> runNow(SqlRunner sql, String name, Instant at, NewTask task,
      TaskInsert insert) throws SQLException {
    int changed = sql.run("UPDATE " + table + " SET last_occurrence = ?, last_fired_at = ? "
        + "WHERE name = ?", ps -> {
          time.set(ps, 1, at);
          time.set(ps, 2, at);
          ps.setString(3, name);
          return ps.executeUpdate();
        });
    return changed == 0 ? Optional.empty() : Optional.of(recordTask(sql, name, insert.insert(task)));
  }

  private Applied recordTask(SqlRunner sql, String name, long taskId) throws SQLException {
    sql.run("UPDATE " + table + " SET last_task = ? WHERE name = ?", ps -> {
      ps.setLong(1, taskId);
      ps.setString(2, name);
      return ps.executeUpdate();
    });
    return new Applied(taskId);
  }

  private PreparedStatement bindWhere(PreparedStatement ps, int i, String name, Instant expected)
      throws SQLException {
    ps.setString(i, name);
    if (expected != null) {
      time.set(ps, i + 1, expected);
    }
    return ps;
  }

  private void bindDefinition(PreparedStatement ps, int i, Definition d) throws SQLException {
    Schedule s = d.schedule();
    ps.setString(i, s.queue());
    ps.setString(i + 1, s.spec().text());
    ps.setString(i + 2, d.args());
    ps.setString(i + 3, s.jitter().toString());
    time.set(ps, i + 4, s.start().orElse(null));
    time.set(ps, i + 5, s.end().orElse(null));
    ps.setString(i + 6, s.missed().text());
    ps.setString(i + 7, s.overlap().text());
  }
}
