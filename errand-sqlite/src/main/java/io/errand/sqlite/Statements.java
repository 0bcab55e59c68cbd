package io.errand.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection and its prepared statements, each prepared once. Not thread-safe: the writer
 * thread owns one, readers share the other under a lock.
 */
final class Statements implements AutoCloseable {
  final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();
  private final Statement plain;

  Statements(Connection connection) throws SQLException {
    this.connection = connection;
    this.plain = connection.createStatement();
  }

  /** The prepared statement of {@code sql}, its parameters cleared. */
  PreparedStatement get(String sql) throws SQLException {
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      prepared.put(sql, ps);
    } else {
      ps.clearParameters();
    }
    return ps;
  }

  /** Runs {@code sql} (no parameters, no rows), parsing it each time: for one-off statements. */
  void exec(String sql) throws SQLException {
    plain.executeUpdate(sql);
  }

  /**
   * Runs {@code sql} (no parameters, no rows) as a statement prepared once: for the ones run
   * with every batch ({@code BEGIN}, {@code COMMIT}, savepoints), which a plain statement would
   * parse every time.
   */
  void run(String sql) throws SQLException {
    get(sql).executeUpdate();
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement ps : prepared.values()) {
      ps.close();
    }
    prepared.clear();
    plain.close();
    connection.close();
  }
}
