package io.errand.postgres;

import io.errand.api.BatchStatus;
import io.errand.api.FailureGroup;
import io.errand.api.TaskFilter;
import io.errand.api.TaskQuery;
import io.errand.jdbc.SearchQueries;
import io.errand.jdbc.StoredKeyRow;
import io.errand.jdbc.StoredTask;
import io.errand.jdbc.TaskQueries;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
  /**
   * {@link #NEXT_DUE}, or null while the queue is paused (its tasks are not claimable, so no
   * timer should wait for them): a third parameter, the queue.
   */
  static final String NEXT_DUE_UNLESS_PAUSED = "SELECT CASE WHEN EXISTS (SELECT 1 FROM "
      + "{s}.queue_controls WHERE queue = ? AND paused_at IS NOT NULL) THEN NULL ELSE ("
      + NEXT_DUE + ") END";
  private final TaskQueries queries;
  private final SearchQueries search;
  private final String nextDue;
  private final String waiting;
  private final String cancelledHere;

  Reads(String schema) {
    queries = new TaskQueries(new PostgresDialect(schema));
    // A \u0000 escape is valid JSON text but PostgreSQL cannot read it out as text: dropped.
    String lastError = "(replace(errors, '\\u0000', '')::json -> -1)";
    search = new SearchQueries(new PostgresDialect(schema), new SearchQueries.Words("ILIKE",
        lastError + " ->> 'type'", lastError + " ->> 'message'",
        (ps, i, t) -> ps.setObject(i, t == null ? null : OffsetDateTime.ofInstant(t,
            ZoneOffset.UTC))));
    nextDue = Schema.qualify(schema, NEXT_DUE_UNLESS_PAUSED);
    waiting = Schema.qualify(schema, WaitingCounts.COUNT);
    cancelledHere = Schema.qualify(schema, "SELECT id FROM {s}.tasks WHERE status = 'RUNNING' "
        + "AND owner = ? AND cancel_requested");
  }

  /** Up to {@code limit + 1} rows, newest first: one more than a page tells whether more follow. */
  List<StoredTask> list(Tx tx, TaskQuery q) throws SQLException {
    return queries.list(tx::run, q);
  }

  /** Up to {@code limit + 1} rows matching {@code f}, newest first ({@link SearchQueries}). */
  List<StoredTask> search(Tx tx, TaskFilter f, int limit, long cursor) throws SQLException {
    return search.find(tx::run, f, limit, cursor);
  }

  long count(Tx tx, TaskFilter f) throws SQLException {
    return search.count(tx::run, f);
  }

  List<FailureGroup> failures(Tx tx, TaskFilter f, int limit) throws SQLException {
    return search.failures(tx::run, f, limit);
  }

  Instant nextDue(Tx tx, String queue) throws SQLException {
    try (PreparedStatement ps = tx.prepare(nextDue)) {
      ps.setString(1, queue);
      ps.setString(2, queue);
      ps.setString(3, queue);
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
    return queries.group(tx::run, id);
  }

  List<Long> liveInGroup(Tx tx, long id) throws SQLException {
    return queries.liveInGroup(tx::run, id);
  }

  List<Long> inGroup(Tx tx, long id) throws SQLException {
    return queries.inGroup(tx::run, id);
  }

  java.util.Map<Long, Long> heldCallbacks(Tx tx) throws SQLException {
    return queries.heldCallbacks(tx::run);
  }

  /** The tasks running on node {@code owner} with a cancel requested. */
  List<Long> cancelRequested(Tx tx, long owner) throws SQLException {
    return ids(tx, cancelledHere, owner);
  }

  List<StoredKeyRow> keys(Tx tx, String supervisor) throws SQLException {
    return queries.keys(tx::run, supervisor);
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
