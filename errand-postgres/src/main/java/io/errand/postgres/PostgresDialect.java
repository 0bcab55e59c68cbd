package io.errand.postgres;

import io.errand.jdbc.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * PostgreSQL for the shared statements: tables in the store's schema, times as
 * {@code timestamptz}, flags as booleans.
 */
final class PostgresDialect implements Dialect {
  private final String schema;

  /** The dialect of a store whose tables are in {@code schema}. */
  PostgresDialect(String schema) {
    this.schema = schema;
  }

  @Override
  public String table(String table) {
    return schema + "." + table;
  }

  @Override
  public Instant time(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  @Override
  public boolean flag(ResultSet rs, int column) throws SQLException {
    return rs.getBoolean(column);
  }
}
