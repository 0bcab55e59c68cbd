package io.errand.postgres;

import io.errand.jdbc.SqlRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One unit of work on one pooled connection: a transaction ({@link Database#transaction}) or a
 * single autocommitted statement ({@link Database#autocommit}). It collects what to do once the
 * work is committed (raise signals) and what to undo in memory if it is rolled back.
 *
 * <p>It also notes whether one of its statements inserts or updates {@code tasks}: such a
 * statement may have written events ({@link EventLogSchema}'s triggers), and the event tails
 * learn of them from the committing node ({@link Database#onTasksWritten}), not from a
 * {@code NOTIFY} in the writing transaction (docs/postgres.md 4.1).
 */
final class Tx {
  /** A statement that inserts or updates tasks, whatever its schema ({@code {s}} qualified). */
  private static final Pattern WRITES_TASKS =
      Pattern.compile("(?i)\\b(UPDATE|INSERT\\s+INTO)\\s+[a-z0-9_]+\\.tasks\\b");
  /** The answer of {@link #WRITES_TASKS} per statement text: the texts are the store's few. */
  private static final Map<String, Boolean> WRITERS = new ConcurrentHashMap<>();

  final Connection connection;
  private boolean wroteTasks;
  private List<Runnable> afterCommit;
  private List<Runnable> onRollback;

  Tx(Connection connection) {
    this.connection = connection;
  }

  /** A statement of {@code sql}; the caller closes it. */
  PreparedStatement prepare(String sql) throws SQLException {
    if (!wroteTasks && WRITERS.computeIfAbsent(sql, q -> WRITES_TASKS.matcher(q).find())) {
      wroteTasks = true;
    }
    return connection.prepareStatement(sql);
  }

  /** Whether a statement of this unit inserted or updated tasks (so may have logged events). */
  boolean wroteTasks() {
    return wroteTasks;
  }

  /**
   * Notes that this unit inserted tasks through a statement not made by {@link #prepare} (the
   * insert statements run on {@link #connection}).
   */
  void insertedTasks() {
    wroteTasks = true;
  }

  /** Says that this unit's writes to tasks logged no event (a rescue that found nothing). */
  void wroteNoEvents() {
    wroteTasks = false;
  }

  /** Runs {@code body} with a statement of {@code sql}, closed after: a shared statement's way. */
  <T> T run(String sql, SqlRunner.Body<T> body) throws SQLException {
    try (PreparedStatement ps = prepare(sql)) {
      return body.run(ps);
    }
  }

  /** Runs {@code action} after the commit (never if the work fails or is rolled back). */
  void afterCommit(Runnable action) {
    if (afterCommit == null) {
      afterCommit = new ArrayList<>(2);
    }
    afterCommit.add(action);
  }

  /** Runs {@code action} if the work is rolled back. */
  void onRollback(Runnable action) {
    if (onRollback == null) {
      onRollback = new ArrayList<>(2);
    }
    onRollback.add(action);
  }

  List<Runnable> committed() {
    return afterCommit == null ? List.of() : afterCommit;
  }

  List<Runnable> rolledBack() {
    return onRollback == null ? List.of() : onRollback;
  }
}
