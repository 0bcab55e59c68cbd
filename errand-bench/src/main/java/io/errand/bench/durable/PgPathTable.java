package io.errand.bench.durable;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The table {@link PgWritePaths} measures on: the columns and indexes of Errand's
 * {@code tasks} table that the write path touches (the claim index, the one-live-task-per-key
 * unique index, the finished index), the striped waiting counts, in a schema {@code paths} of
 * a scratch database. Rows are made here with {@code generate_series}, fast, so that every
 * measurement starts from the table state it needs.
 */
final class PgPathTable {
  static final String QUEUE = "q";

  private PgPathTable() {}

  /** Creates the schema, or empties it for the next measurement. */
  static void reset(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS paths CASCADE");
      s.execute("CREATE SCHEMA paths");
      s.execute("""
          CREATE TABLE paths.tasks (
            id          bigserial   PRIMARY KEY,
            queue       text        NOT NULL,
            status      text        NOT NULL,
            args        text,
            result      text,
            attempt     integer     NOT NULL DEFAULT 0,
            created_at  timestamptz NOT NULL,
            started_at  timestamptz,
            finished_at timestamptz,
            run_at      timestamptz NOT NULL,
            key         text,
            priority    integer     NOT NULL DEFAULT 0,
            ready       boolean     NOT NULL DEFAULT true,
            owner       bigint
          )""");
      s.execute("CREATE INDEX tasks_claim ON paths.tasks (queue, priority DESC, run_at, id) "
          + "WHERE status = 'WAITING' AND ready");
      s.execute("CREATE INDEX tasks_due ON paths.tasks (queue, ready, run_at) "
          + "WHERE status = 'WAITING'");
      s.execute("CREATE UNIQUE INDEX tasks_live_key ON paths.tasks (queue, key) "
          + "WHERE key IS NOT NULL AND status IN ('WAITING', 'RUNNING')");
      s.execute("CREATE INDEX tasks_finished ON paths.tasks (queue, finished_at) "
          + "WHERE finished_at IS NOT NULL");
      s.execute("CREATE INDEX tasks_running ON paths.tasks (owner) WHERE status = 'RUNNING'");
      s.execute("CREATE TABLE paths.waiting (queue text NOT NULL, slot integer NOT NULL, "
          + "n bigint NOT NULL, PRIMARY KEY (queue, slot))");
    }
  }

  /**
   * Adds {@code n} finished (SUCCESS) rows as retention would find them after {@code n} tasks
   * went through: inserted WAITING, then ended, so that every index holds their dead versions
   * until a vacuum ({@code vacuum} false: autovacuum is turned off for the table, as a busy
   * table waits for it) or after one ({@code vacuum} true).
   */
  static void churn(Connection c, int n, boolean vacuum) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE paths.tasks SET (autovacuum_enabled = false)");
      s.execute("INSERT INTO paths.tasks (queue, status, args, created_at, run_at) SELECT '"
          + QUEUE + "', 'WAITING', g::text, now(), now() FROM generate_series(1, " + n + ") g");
      s.execute("UPDATE paths.tasks SET status = 'SUCCESS', finished_at = now(), result = 'null' "
          + "WHERE status = 'WAITING'");
      if (vacuum) {
        s.execute("VACUUM paths.tasks");
      }
      s.execute("ANALYZE paths.tasks");
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** Adds {@code n} rows of {@code status} (attempt 1 if RUNNING), then ANALYZE. */
  static void fill(Connection c, String status, int n) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO paths.tasks (queue, status, args, attempt, created_at, run_at, "
          + "started_at, owner) SELECT '" + QUEUE + "', '" + status + "', g::text, "
          + ("RUNNING".equals(status) ? "1" : "0") + ", now(), now(), "
          + ("RUNNING".equals(status) ? "now(), 1" : "NULL, NULL")
          + " FROM generate_series(1, " + n + ") g");
      if ("WAITING".equals(status)) {
        s.execute("INSERT INTO paths.waiting VALUES ('" + QUEUE + "', 0, " + n + ") "
            + "ON CONFLICT (queue, slot) DO UPDATE SET n = paths.waiting.n + excluded.n");
      }
      s.execute("ANALYZE paths.tasks");
    }
  }
}
