package io.errand.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * The store's tables, versioned with SQLite's {@code user_version} and migrated at start. Each
 * entry of {@link #MIGRATIONS} takes the schema from version {@code i} to {@code i + 1}; they run
 * in one transaction, so a failed migration leaves the file as it was. A file whose version is
 * newer than this code knows is refused, never touched; so is a file that is not a SQLite
 * database, or a SQLite database that is not Errand's.
 *
 * <p>Times are epoch microseconds; payloads are JSON text; {@code errors} is a JSON array of
 * every failed attempt's error.
 *
 * <p><b>Due and delayed.</b> A WAITING task that is not held is either {@code ready} (known to
 * be due) or not yet. The claim index holds only ready tasks, in claim order, so a claim never
 * walks tasks that are not due; {@code tasks_due} orders each queue's tasks by readiness, then
 * run_at, so a claim first marks ready the delayed tasks that have become due (one range
 * probe, nothing when none has) and {@code nextDue} is two probes. A task whose {@code ready}
 * is 0 though it is due is always safe (the next claim marks it); version 1 files get the
 * column at 0 for every task.
 *
 * <p><b>Schedules</b> (version 3): one row per schedule, its definition in the text forms the
 * API parses ({@code spec}, {@code missed}, {@code overlap}, {@code jitter} as ISO-8601) and its
 * fixed args as JSON, beside the firing state ({@code next_due}, {@code held}, the last run).
 * The rows are read and written by the statements shared with PostgreSQL
 * ({@code io.errand.jdbc.ScheduleStatements}); the partial indexes {@code schedules_due} and
 * {@code schedules_held} let the schedule runner read only the schedules with work now.
 *
 * <p><b>Flow control</b> (version 4): {@code queue_controls} keeps a row per queue ever paused;
 * the queue is paused while its {@code paused_at} is set.
 */
final class Schema {
  /** Errand's mark in the SQLite header ({@code PRAGMA application_id}): "ERRD". */
  static final int APPLICATION_ID = 0x45525244;

  private static final List<String[]> MIGRATIONS = List.<String[]>of(
      new String[] { // 0 -> 1
          """
          CREATE TABLE tasks (
            id               INTEGER PRIMARY KEY AUTOINCREMENT,
            queue            TEXT    NOT NULL,
            status           TEXT    NOT NULL,
            held             INTEGER NOT NULL DEFAULT 0,
            current          INTEGER NOT NULL DEFAULT 0,
            total            INTEGER NOT NULL DEFAULT 0,
            message          TEXT,
            result           TEXT,
            args             TEXT,
            attempt          INTEGER NOT NULL DEFAULT 0,
            errors           TEXT,
            created_at       INTEGER NOT NULL,
            started_at       INTEGER,
            finished_at      INTEGER,
            run_at           INTEGER NOT NULL,
            key              TEXT,
            priority         INTEGER NOT NULL DEFAULT 0,
            grp              INTEGER NOT NULL DEFAULT 0,
            cancel_reason    TEXT,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            node             TEXT,
            next             INTEGER NOT NULL DEFAULT 0,
            previous_result  TEXT
          )""",
          "CREATE INDEX tasks_claim ON tasks (queue, priority DESC, run_at, id) "
              + "WHERE status = 'WAITING' AND held = 0",
          "CREATE INDEX tasks_due ON tasks (queue, run_at) WHERE status = 'WAITING' AND held = 0",
          "CREATE UNIQUE INDEX tasks_live_key ON tasks (queue, key) "
              + "WHERE key IS NOT NULL AND status IN ('WAITING', 'RUNNING')",
          "CREATE INDEX tasks_finished ON tasks (queue, finished_at) WHERE finished_at IS NOT NULL",
          "CREATE INDEX tasks_queue ON tasks (queue, id)",
          "CREATE INDEX tasks_status ON tasks (status, id)",
          "CREATE INDEX tasks_group ON tasks (grp) WHERE grp <> 0",
          "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
          "INSERT INTO counters (name, value) VALUES ('group', 0)",
          """
          CREATE TABLE keys (
            supervisor TEXT    NOT NULL,
            key        TEXT    NOT NULL,
            args       TEXT,
            paused     INTEGER NOT NULL,
            PRIMARY KEY (supervisor, key)
          )"""
      },
      new String[] { // 1 -> 2: due tasks apart from delayed ones (see the class comment)
          "ALTER TABLE tasks ADD COLUMN ready INTEGER NOT NULL DEFAULT 0",
          "DROP INDEX tasks_claim",
          "CREATE INDEX tasks_claim ON tasks (queue, priority DESC, run_at, id) "
              + "WHERE status = 'WAITING' AND held = 0 AND ready = 1",
          "DROP INDEX tasks_due",
          "CREATE INDEX tasks_due ON tasks (queue, ready, run_at) "
              + "WHERE status = 'WAITING' AND held = 0"
      },
      new String[] { // 2 -> 3: schedules (docs/schedules.md); definitions as text, times micros
          """
          CREATE TABLE schedules (
            name            TEXT    PRIMARY KEY,
            queue           TEXT    NOT NULL,
            spec            TEXT    NOT NULL,
            args            TEXT,
            jitter          TEXT    NOT NULL,
            start_at        INTEGER,
            end_at          INTEGER,
            missed          TEXT    NOT NULL,
            overlap         TEXT    NOT NULL,
            state           TEXT    NOT NULL,
            next_due        INTEGER,
            held            INTEGER,
            last_occurrence INTEGER,
            last_task       INTEGER NOT NULL DEFAULT 0,
            last_fired_at   INTEGER
          )"""
      },
      new String[] { // 3 -> 4: flow control per queue (SqliteControls); paused while paused_at set
          """
          CREATE TABLE queue_controls (
            queue     TEXT    PRIMARY KEY,
            paused_at INTEGER
          )"""
      },
      new String[] { // 4 -> 5 (issue 18): searches, triage
          "CREATE INDEX tasks_key ON tasks (key) WHERE key IS NOT NULL",
          "CREATE INDEX tasks_created ON tasks (created_at)",
          "CREATE INDEX tasks_failed_error ON tasks (json_extract(errors, '$[#-1].type'), "
              + "json_extract(errors, '$[#-1].message')) WHERE status = 'FAILURE'"
      },
      new String[] { // 5 -> 6: the schedule runner reads only what is due
          "CREATE INDEX schedules_due ON schedules (next_due) WHERE state = 'ACTIVE'",
          "CREATE INDEX schedules_held ON schedules (name) WHERE held IS NOT NULL"
      },
      // 6 -> 7: history, one row per queue and epoch minute (SqliteHistory), bounded by the
      // engine's pruning to a day and an hour.
      new String[] {
          """
          CREATE TABLE task_history (
            queue       TEXT    NOT NULL,
            minute      INTEGER NOT NULL,
            succeeded   INTEGER NOT NULL,
            failed      INTEGER NOT NULL,
            started     INTEGER NOT NULL,
            wait_ms     INTEGER NOT NULL,
            wait_max_ms INTEGER NOT NULL,
            ran         INTEGER NOT NULL,
            run_ms      INTEGER NOT NULL,
            run_max_ms  INTEGER NOT NULL,
            PRIMARY KEY (queue, minute)
          ) WITHOUT ROWID"""
      });

  /** The version this code writes. */
  static final int CURRENT = MIGRATIONS.size();

  private static final byte[] SQLITE_HEADER =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private Schema() {}

  /**
   * Refuses, before SQLite opens it, a file that exists, is not empty and does not start with
   * SQLite's header: opening it must not change it.
   */
  static void checkLooksLikeSqlite(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    byte[] head = new byte[SQLITE_HEADER.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (n == 0) {
      return; // an empty file: SQLite makes a new database of it
    }
    if (n < head.length || !Arrays.equals(head, SQLITE_HEADER)) {
      throw new IllegalStateException(file + " is not a SQLite database (its first bytes are "
          + "not the SQLite header); it was left untouched. Point the store at another file, or "
          + "move this one away if it is not needed");
    }
  }

  /** Brings the schema of {@code c}'s database to {@link #CURRENT}, or refuses the file. */
  static void migrate(Connection c, Path file) throws SQLException {
    int version = intPragma(c, "user_version");
    if (version > CURRENT) {
      throw new IllegalStateException(file + " has Errand schema version " + version
          + ", newer than this Errand knows (" + CURRENT + "): it was written by a newer "
          + "release. Run that release, or a newer one, on it; it was left untouched");
    }
    if (version == 0 && hasTables(c)) {
      throw new IllegalStateException(file + " is a SQLite database but not an Errand store "
          + "(it has tables and no Errand schema version); it was left untouched");
    }
    if (version > 0 && intPragma(c, "application_id") != APPLICATION_ID) {
      throw new IllegalStateException(file + " is a SQLite database of another application "
          + "(application_id " + intPragma(c, "application_id") + "); it was left untouched");
    }
    if (version == CURRENT) {
      return;
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (int v = version; v < CURRENT; v++) {
        for (String sql : MIGRATIONS.get(v)) {
          s.executeUpdate(sql);
        }
      }
      s.executeUpdate("PRAGMA application_id = " + APPLICATION_ID);
      s.executeUpdate("PRAGMA user_version = " + CURRENT);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  static int intPragma(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static boolean hasTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
      return rs.next() && rs.getInt(1) > 0;
    }
  }
}
