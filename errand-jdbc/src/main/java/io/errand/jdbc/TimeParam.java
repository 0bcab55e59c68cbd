package io.errand.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * How a store binds a time (or a NULL time) as a statement parameter: the SQLite store keeps
 * epoch microseconds, the PostgreSQL store {@code timestamptz}. The writing half of
 * {@link Dialect#time}.
 */
@FunctionalInterface
public interface TimeParam {

  /** Binds {@code time}, or NULL when it is null, as parameter {@code index} of {@code ps}. */
  void set(PreparedStatement ps, int index, Instant time) throws SQLException;
}
