package io.errand.sqlite;

import io.errand.api.BatchStatus;
import io.errand.api.ErrandException;
import io.errand.api.FailureGroup;
import io.errand.api.TaskFilter;
import io.errand.api.TaskQuery;
import io.errand.jdbc.ScheduleStatements;
import io.errand.jdbc.SearchQueries;
import io.errand.jdbc.SqlRunner;
import io.errand.jdbc.StoredKeyRow;
import io.errand.jdbc.StoredScheduleRow;
import io.errand.jdbc.StoredTask;
import io.errand.jdbc.TaskQueries;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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
  /** How many tasks of a queue run now: for a queue with a concurrency limit. */
  static final String RUNNING = "SELECT count(*) FROM tasks WHERE queue = ? AND status = "
      + "'RUNNING'";
  private final Statements sql;
  private final String file;
  private final ReentrantLock lock = new ReentrantLock();
  private final TaskQueries queries = new TaskQueries(SqliteDialect.INSTANCE);
  private final ScheduleStatements schedules = SqliteSchedules.STATEMENTS;
  private final SearchQueries search = new SearchQueries(SqliteDialect.INSTANCE,
      new SearchQueries.Words("LIKE", "json_extract(errors, '$[#-1].type')",
          "json_extract(errors, '$[#-1].message')", SqliteDialect::setTime));

  Reads(Statements sql, String file) {
    this.sql = sql;
    this.file = file;
  }

  @FunctionalInterface
  private interface Query<T> {
    T run(SqlRunner sql) throws SQLException;
  }

  /** Runs {@code q} on the reader's connection, its turn taken; statements stay prepared. */
  private <T> T locked(Query<T> q) {
    lock.lock();
    try {
      return q.run(this::prepared);
    } catch (SQLException e) {
      throw new ErrandException("store_failed", "the SQLite store " + file + " failed: "
          + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private <T> T prepared(String text, SqlRunner.Body<T> body) throws SQLException {
    return body.run(sql.get(text));
  }

  StoredTask find(long id) {
    return locked(s -> queries.find(s, id));
  }

  /** Up to {@code limit + 1} rows, newest first: one more than a page tells whether more follow. */
  List<StoredTask> list(TaskQuery q) {
    return locked(s -> queries.list(s, q));
  }

  /** Up to {@code limit + 1} rows matching {@code f}, newest first ({@link SearchQueries}). */
  List<StoredTask> search(TaskFilter f, int limit, long cursor) {
    return locked(s -> search.find(s, f, limit, cursor));
  }

  long count(TaskFilter f) {
    return locked(s -> search.count(s, f));
  }

  List<FailureGroup> failures(TaskFilter f, int limit) {
    return locked(s -> search.failures(s, f, limit));
  }

  /** Epoch micros of the earliest runAt of a claimable task of {@code queue}, or null. */
  Long nextDue(String queue) {
    return locked(s -> s.run(NEXT_DUE, ps -> {
      ps.setString(1, queue);
      ps.setString(2, queue);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    }));
  }

  /** The tasks of {@code queue} RUNNING now. */
  long running(String queue) {
    return locked(s -> s.run(RUNNING, ps -> {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }));
  }

  BatchStatus group(long group) {
    return locked(s -> queries.group(s, group));
  }

  List<Long> liveInGroup(long group) {
    return locked(s -> queries.liveInGroup(s, group));
  }

  List<Long> inGroup(long group) {
    return locked(s -> queries.inGroup(s, group));
  }

  java.util.Map<Long, Long> heldCallbacks() {
    return locked(queries::heldCallbacks);
  }

  List<StoredKeyRow> keys(String supervisor) {
    return locked(s -> queries.keys(s, supervisor));
  }

  StoredScheduleRow schedule(String name) {
    return locked(s -> schedules.find(s, name));
  }

  List<StoredScheduleRow> schedules() {
    return locked(schedules::list);
  }

  List<StoredScheduleRow> dueSchedules(Instant now, int limit) {
    return locked(s -> schedules.due(s, now, limit));
  }

  Instant nextScheduleDue(Instant now) {
    return locked(s -> schedules.nextDueAfter(s, now));
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
