package io.errand.postgres;

import io.errand.jdbc.SqlRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One unit of work on one pooled connection: a transaction ({@link Database#transaction}) or a
 * single autocommitted statement ({@link Database#autocommit}). It collects what to do once the
 * work is committed (raise signals) and what to undo in memory if it is rolled back.
 */
final class Tx {
  final Connection connection;
  private List<Runnable> afterCommit;
  private List<Runnable> onRollback;

  Tx(Connection connection) {
    this.connection = connection;
  }

  /** A statement of {@code sql}; the caller closes it. */
  PreparedStatement prepare(String sql) throws SQLException {
    return connection.prepareStatement(sql);
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
