package io.errand.postgres;

import io.errand.jdbc.StoredTask;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A task's row as this store reads and writes it: the shared {@link StoredTask}, read with
 * {@link PostgresDialect}; decoding its JSON into a record happens after the connection went
 * back to the pool.
 */
final class Row {
  /** The columns {@link #read} expects, in order. */
  static final String COLUMNS = StoredTask.COLUMNS;
  /** Reading values needs no schema: this dialect only reads. */
  private static final PostgresDialect VALUES = new PostgresDialect("");

  private Row() {}

  static StoredTask read(ResultSet rs) throws SQLException {
    return StoredTask.read(rs, VALUES);
  }

  /** The one row {@code ps} returns, or null. */
  static StoredTask one(PreparedStatement ps) throws SQLException {
    return StoredTask.one(ps, VALUES);
  }

  /** {@code t} as PostgreSQL keeps it: to the microsecond (truncated, as the SQLite store). */
  static OffsetDateTime timestamp(Instant t) {
    return t == null ? null
        : OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }
}
