package io.errand.sqlite;

import io.errand.jdbc.Dialect;
import io.errand.spi.EpochMicros;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** SQLite for the shared statements: tables by their bare names, times as epoch micros. */
final class SqliteDialect implements Dialect {
  static final SqliteDialect INSTANCE = new SqliteDialect();

  private SqliteDialect() {}

  @Override
  public String table(String table) {
    return table;
  }

  @Override
  public Instant time(ResultSet rs, int column) throws SQLException {
    long micros = rs.getLong(column);
    return rs.wasNull() ? null : EpochMicros.instant(micros);
  }

  @Override
  public boolean flag(ResultSet rs, int column) throws SQLException {
    return rs.getInt(column) != 0;
  }

  /** Binds {@code time} as epoch micros, or NULL ({@link io.errand.jdbc.TimeParam}). */
  static void setTime(PreparedStatement ps, int index, Instant time) throws SQLException {
    if (time == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setLong(index, EpochMicros.of(time));
    }
  }
}
