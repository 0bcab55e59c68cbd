package io.errand.sqlite;

import io.errand.api.TaskStatus;
import io.errand.jdbc.Payloads;
import io.errand.jdbc.StoredTask;
import io.errand.spi.StoreSignals;
import io.errand.spi.TaskRecord;
import io.errand.spi.Transition;

/**
 * Everything an open SQLite store works with, made at once by {@link SqliteStore#open} and
 * published through one volatile field: the roles read it whole or not at all.
 */
final class Opened {
  final Database db;
  final Writer writer;
  final Reads reads;
  final Writes writes;
  final Payloads payloads;
  final AttemptEnds ends;
  final StoreSignals signals;

  Opened(Database db, Writer writer, Reads reads, Writes writes, Payloads payloads,
      StoreSignals signals) {
    this.db = db;
    this.writer = writer;
    this.reads = reads;
    this.writes = writes;
    this.payloads = payloads;
    this.ends = new AttemptEnds(writes, payloads.limit());
    this.signals = signals;
  }

  /** The record of {@code row}, or null for no row. */
  TaskRecord record(Row row) {
    return row == null ? null : row.stored().toRecord(payloads.codec());
  }

  /** The record of {@code row}, or null for no row. */
  TaskRecord record(StoredTask row) {
    return row == null ? null : row.toRecord(payloads.codec());
  }

  /**
   * The record of {@code row}, a task that was {@code from} before the change that answered it;
   * checks that the change was a move of the transition table.
   */
  TaskRecord changed(TaskStatus from, Row row) {
    return Transition.checkAfter(from, record(row));
  }
}
