package io.errand.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What differs between the databases for the statements the SQL stores share: where their
 * tables are, and how a time and a flag are kept. Each store has one small implementation; the
 * SQL that only one store runs (its claim, its writes, its locks) stays in that store.
 */
public interface Dialect {

  /** The name to use in SQL for table {@code table} ({@code tasks}, {@code keys}). */
  String table(String table);

  /** The time in {@code column}, or null if it is NULL. */
  Instant time(ResultSet rs, int column) throws SQLException;

  /** The flag in {@code column}. */
  boolean flag(ResultSet rs, int column) throws SQLException;
}
