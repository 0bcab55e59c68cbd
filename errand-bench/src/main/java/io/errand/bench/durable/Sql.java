package io.errand.bench.durable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The one query shape every subject's end-of-run check needs: a single count. */
final class Sql {
  private Sql() {}

  /** The number {@code sql} (a {@code SELECT count(...)}) answers on {@code c}. */
  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The same on a connection borrowed from {@code pool} for the query. */
  static long count(DataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return count(c, sql);
    }
  }
}
