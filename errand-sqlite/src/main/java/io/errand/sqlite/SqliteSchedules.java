package io.errand.sqlite;

import io.errand.api.Schedule;
import io.errand.api.QueueFullException;
import io.errand.api.ScheduleState;
import io.errand.jdbc.ScheduleStatements;
import io.errand.jdbc.SqlRunner;
import io.errand.jdbc.StoredScheduleRow;
import io.errand.spi.NewTask;
import io.errand.spi.ScheduleStep;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoredSchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SQLite store's schedules, in its {@code schedules} table. Every change runs on the
 * store's single writer; a step that inserts a task ({@link #advance}, {@link #releaseHeld},
 * {@link #runNow}) runs as one savepoint of the writer's transaction: the compare-and-set on
 * the schedule's {@code next_due} (or held occurrence) and the task's insert commit together or
 * not at all, and a full queue rolls both back. One process owns the file and its writer runs
 * one request at a time, so two deciders of the same occurrence are serialised and the second
 * matches nothing. Reads run on the reader connection and see what was committed.
 */
final class SqliteSchedules implements ScheduleStore {
  static final ScheduleStatements STATEMENTS =
      new ScheduleStatements(SqliteDialect.INSTANCE, SqliteDialect::setTime);

  private final Supplier<Opened> opened;

  SqliteSchedules(Supplier<Opened> opened) {
    this.opened = opened;
  }

  @Override
  public boolean create(Schedule schedule, Instant nextDue) {
    Opened o = opened.get();
    ScheduleStatements.Definition d = definition(o, schedule);
    return o.writer.call(tx -> STATEMENTS.create(runner(tx), d, nextDue));
  }

  @Override
  public boolean update(Schedule schedule) {
    Opened o = opened.get();
    ScheduleStatements.Definition d = definition(o, schedule);
    return o.writer.call(tx -> STATEMENTS.update(runner(tx), d));
  }

  @Override
  public boolean reschedule(Schedule schedule, Instant nextDue) {
    Opened o = opened.get();
    ScheduleStatements.Definition d = definition(o, schedule);
    return o.writer.call(tx -> STATEMENTS.reschedule(runner(tx), d, nextDue));
  }

  @Override
  public boolean delete(String name) {
    Opened o = opened.get();
    return o.writer.call(tx -> STATEMENTS.delete(runner(tx), name));
  }

  @Override
  public boolean setState(String name, ScheduleState state) {
    Opened o = opened.get();
    return o.writer.call(tx -> STATEMENTS.setState(runner(tx), name, state));
  }

  @Override
  public Optional<StoredSchedule> find(String name) {
    Opened o = opened.get();
    StoredScheduleRow row = o.reads.schedule(name);
    return row == null ? Optional.empty() : Optional.of(row.toStored(o.payloads.codec()));
  }

  @Override
  public List<StoredSchedule> list() {
    Opened o = opened.get();
    List<StoredScheduleRow> rows = o.reads.schedules();
    List<StoredSchedule> out = new ArrayList<>(rows.size());
    for (StoredScheduleRow row : rows) {
      out.add(row.toStored(o.payloads.codec()));
    }
    return out;
  }

  @Override
  public List<StoredSchedule> due(Instant now, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    Opened o = opened.get();
    List<StoredScheduleRow> rows = o.reads.dueSchedules(now, limit);
    List<StoredSchedule> out = new ArrayList<>(rows.size());
    for (StoredScheduleRow row : rows) {
      out.add(row.toStored(o.payloads.codec()));
    }
    return out;
  }

  @Override
  public Optional<Instant> nextDueAfter(Instant now) {
    return Optional.ofNullable(opened.get().reads.nextScheduleDue(now));
  }

  @Override
  public Optional<Applied> advance(String name, Instant expectedNextDue, ScheduleStep step) {
    Opened o = opened.get();
    String args = step instanceof ScheduleStep.Fire fire ? o.payloads.args(fire.task()) : null;
    return o.writer.callAtomic(tx -> STATEMENTS.advance(runner(tx), name, expectedNextDue, step,
        task -> o.writes.insert(tx, task, args).id()));
  }

  /** {@inheritDoc} Here one writer request each: the writer commits many requests at once. */
  @Override
  public List<FireResult> fireAll(List<DueFire> fires) {
    List<FireResult> out = new ArrayList<>(fires.size());
    for (DueFire f : fires) {
      try {
        out.add(new FireResult(advance(f.name(), f.expectedNextDue(), f.fire()), null));
      } catch (QueueFullException refused) {
        out.add(new FireResult(Optional.empty(), refused));
      }
    }
    return out;
  }

  @Override
  public Optional<Applied> releaseHeld(String name, Instant held, NewTask task) {
    Opened o = opened.get();
    String args = o.payloads.args(task);
    return o.writer.callAtomic(tx -> STATEMENTS.releaseHeld(runner(tx), name, held, task,
        t -> o.writes.insert(tx, t, args).id()));
  }

  @Override
  public Optional<Applied> runNow(String name, Instant at, NewTask task) {
    Opened o = opened.get();
    String args = o.payloads.args(task);
    return o.writer.callAtomic(tx -> STATEMENTS.runNow(runner(tx), name, at, task,
        t -> o.writes.insert(tx, t, args).id()));
  }

  private static ScheduleStatements.Definition definition(Opened o, Schedule schedule) {
    return new ScheduleStatements.Definition(schedule, o.payloads.scheduleArgs(schedule));
  }

  /** The writer's connection as a {@link SqlRunner}: statements stay prepared. */
  private static SqlRunner runner(Writer.Tx tx) {
    return new SqlRunner() {
      @Override
      public <T> T run(String sql, SqlRunner.Body<T> body) throws java.sql.SQLException {
        return body.run(tx.sql.get(sql));
      }
    };
  }
}
