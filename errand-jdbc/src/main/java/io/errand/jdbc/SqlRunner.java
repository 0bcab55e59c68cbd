package io.errand.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * How a store runs one statement on the connection it holds: the SQLite store keeps its
 * statements prepared for good, the PostgreSQL store prepares and closes one per use.
 */
@FunctionalInterface
public interface SqlRunner {

  /** What to do with a prepared statement. */
  @FunctionalInterface
  interface Body<T> {
    /** Binds, runs and reads {@code ps}. */
    T run(PreparedStatement ps) throws SQLException;
  }

  /** Prepares {@code sql} (or takes it prepared) and runs {@code body} with it. */
  <T> T run(String sql, Body<T> body) throws SQLException;
}
