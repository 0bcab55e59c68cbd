package io.errand.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The store's tables, in a schema of their own (default {@code errand}), versioned in
 * {@code <schema>.errand_schema} and migrated at start. Each entry of {@link #MIGRATIONS} takes
 * the schema from version {@code i} to {@code i + 1}; they run in one transaction (PostgreSQL's
 * DDL is transactional) under an advisory lock, so nodes starting together migrate once and a
 * failed migration leaves the schema as it was. A schema written by a newer Errand is refused,
 * never touched; so is a schema that holds tables but is not Errand's.
 *
 * <p>SQL text names tables as {@code {s}.tasks}; {@link #qualify} puts the schema in.
 *
 * <p><b>Due and delayed.</b> A WAITING task that is not held is either {@code ready} (known to
 * be due) or not yet. The claim index holds only ready tasks, in claim order, so a claim never
 * walks tasks that are not due; {@code tasks_due} orders each queue's tasks by readiness, then
 * run_at, so a claim first marks ready the delayed tasks that have become due (one range
 * probe) and {@code nextDue} is two probes. A due task not yet marked is always safe (the next
 * claim marks it); version 1 schemas get the column false for every task. The count of
 * waiting tasks lives in {@code waiting} ({@link WaitingCounts}).
 *
 * <p><b>Schedules.</b> {@code schedules} holds each schedule's definition and firing state, and
 * {@code schedule_fires} each fired occurrence under a unique (schedule, occurrence) key
 * ({@link PostgresSchedules}); {@code claimed_by} and {@code claimed_until} say which node is
 * deciding a due schedule, so nodes split the due ones instead of each racing for all.
 *
 * <p><b>Flow control.</b> {@code queue_controls} keeps a row per queue ever paused; the queue is
 * paused while its {@code paused_at} is set, and claims skip it ({@link Attempts#NOT_PAUSED}).
 *
 * <p><b>Events.</b> {@code events} is the cluster's event log, written by triggers on
 * {@code tasks} in the changing transaction ({@link EventLogSchema}) and tailed by every node
 * ({@link EventTail}).
 */
final class Schema {
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

  private static final List<String[]> MIGRATIONS = List.<String[]>of(
      new String[] { // 0 -> 1
          "CREATE SEQUENCE {s}.task_ids",
          "CREATE SEQUENCE {s}.group_ids",
          """
          CREATE TABLE {s}.tasks (
            id               bigint      PRIMARY KEY DEFAULT nextval('{s}.task_ids'),
            queue            text        NOT NULL,
            status           text        NOT NULL CHECK (status IN
                                           ('WAITING', 'RUNNING', 'SUCCESS', 'FAILURE', 'CANCELLED')),
            held             boolean     NOT NULL DEFAULT false,
            current          bigint      NOT NULL DEFAULT 0,
            total            bigint      NOT NULL DEFAULT 0,
            message          text,
            result           text,
            args             text,
            attempt          integer     NOT NULL DEFAULT 0,
            errors           text,
            created_at       timestamptz NOT NULL,
            started_at       timestamptz,
            finished_at      timestamptz,
            run_at           timestamptz NOT NULL,
            key              text,
            priority         integer     NOT NULL DEFAULT 0,
            grp              bigint      NOT NULL DEFAULT 0,
            cancel_reason    text,
            cancel_requested boolean     NOT NULL DEFAULT false,
            node             text,
            owner            bigint,
            next             bigint      NOT NULL DEFAULT 0,
            previous_result  text
          )""",
          "ALTER SEQUENCE {s}.task_ids OWNED BY {s}.tasks.id",
          "CREATE INDEX tasks_claim ON {s}.tasks (queue, priority DESC, run_at, id) "
              + "WHERE status = 'WAITING' AND NOT held",
          "CREATE INDEX tasks_due ON {s}.tasks (queue, run_at) "
              + "WHERE status = 'WAITING' AND NOT held",
          "CREATE INDEX tasks_waiting ON {s}.tasks (queue) WHERE status = 'WAITING'",
          "CREATE UNIQUE INDEX tasks_live_key ON {s}.tasks (queue, key) "
              + "WHERE key IS NOT NULL AND status IN ('WAITING', 'RUNNING')",
          "CREATE INDEX tasks_finished ON {s}.tasks (queue, finished_at) "
              + "WHERE finished_at IS NOT NULL",
          "CREATE INDEX tasks_queue ON {s}.tasks (queue, id)",
          "CREATE INDEX tasks_status ON {s}.tasks (status, id)",
          "CREATE INDEX tasks_group ON {s}.tasks (grp) WHERE grp <> 0",
          "CREATE INDEX tasks_running ON {s}.tasks (owner) WHERE status = 'RUNNING'",
          """
          CREATE TABLE {s}.keys (
            supervisor text    NOT NULL,
            key        text    NOT NULL,
            args       text,
            paused     boolean NOT NULL,
            PRIMARY KEY (supervisor, key)
          )""",
          """
          CREATE TABLE {s}.nodes (
            id           bigserial   PRIMARY KEY,
            name         text        NOT NULL,
            started_at   timestamptz NOT NULL DEFAULT now(),
            heartbeat_at timestamptz NOT NULL DEFAULT now(),
            lease_ms     bigint      NOT NULL
          )"""
      },
      new String[] { // 1 -> 2: due tasks apart from delayed ones, and counted waiting tasks
          "ALTER TABLE {s}.tasks ADD COLUMN ready boolean NOT NULL DEFAULT false",
          "DROP INDEX {s}.tasks_claim",
          "CREATE INDEX tasks_claim ON {s}.tasks (queue, priority DESC, run_at, id) "
              + "WHERE status = 'WAITING' AND NOT held AND ready",
          "DROP INDEX {s}.tasks_due",
          "CREATE INDEX tasks_due ON {s}.tasks (queue, ready, run_at) "
              + "WHERE status = 'WAITING' AND NOT held",
          "DROP INDEX {s}.tasks_waiting",
          """
          CREATE TABLE {s}.waiting (
            queue text    NOT NULL,
            slot  integer NOT NULL,
            n     bigint  NOT NULL,
            PRIMARY KEY (queue, slot)
          )""",
          "INSERT INTO {s}.waiting (queue, slot, n) SELECT queue, 0, count(*) FROM {s}.tasks "
              + "WHERE status = 'WAITING' GROUP BY queue"
      },
      new String[] { // 2 -> 3: schedules (PostgresSchedules)
          """
          CREATE TABLE {s}.schedules (
            name            text        PRIMARY KEY,
            queue           text        NOT NULL,
            spec            text        NOT NULL,
            args            text,
            jitter          text        NOT NULL,
            start_at        timestamptz,
            end_at          timestamptz,
            missed          text        NOT NULL,
            overlap         text        NOT NULL,
            state           text        NOT NULL CHECK (state IN ('ACTIVE', 'PAUSED')),
            next_due        timestamptz,
            held            timestamptz,
            last_occurrence timestamptz,
            last_task       bigint,
            last_fired_at   timestamptz
          )""",
          """
          CREATE TABLE {s}.schedule_fires (
            schedule   text        NOT NULL,
            occurrence timestamptz NOT NULL,
            task       bigint      NOT NULL,
            fired_at   timestamptz NOT NULL,
            PRIMARY KEY (schedule, occurrence)
          )"""
      },
      new String[] { // 3 -> 4: flow control per queue (PostgresControls)
          """
          CREATE TABLE {s}.queue_controls (
            queue     text        PRIMARY KEY,
            paused_at timestamptz
          )"""
      },
      new String[] { // 4 -> 5 (issue 18): searches by key and time
          "CREATE INDEX tasks_key ON {s}.tasks (key) WHERE key IS NOT NULL",
          "CREATE INDEX tasks_created ON {s}.tasks (created_at)"
      },
      new String[] { // 5 -> 6: due schedules read by index, claimed per node
          "ALTER TABLE {s}.schedules ADD COLUMN claimed_by bigint, "
              + "ADD COLUMN claimed_until timestamptz",
          "CREATE INDEX schedules_due ON {s}.schedules (next_due) WHERE state = 'ACTIVE'",
          "CREATE INDEX schedules_held ON {s}.schedules (name) WHERE held IS NOT NULL"
      },
      EventLogSchema.MIGRATION, // 6 -> 7: the event log (EventLogSchema)
      new String[] { // 7 -> 8: the hot table vacuumed and analyzed early
          // PostgreSQL's defaults wait for 20 % of the table to change: on a queue's table that
          // is a backlog of dead rows on the claim path (docs/postgres.md 3.7).
          "ALTER TABLE {s}.tasks SET (autovacuum_vacuum_scale_factor = 0.01, "
              + "autovacuum_vacuum_insert_scale_factor = 0.01, "
              + "autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_cost_delay = 1)"
      },
      // 8 -> 9: history, one row per queue and epoch minute, summed by every node's upserts
      // (PostgresHistory); pruned to a day and an hour.
      new String[] {
          """
          CREATE TABLE {s}.task_history (
            queue       text   NOT NULL,
            minute      bigint NOT NULL,
            succeeded   bigint NOT NULL,
            failed      bigint NOT NULL,
            started     bigint NOT NULL,
            wait_ms     bigint NOT NULL,
            wait_max_ms bigint NOT NULL,
            ran         bigint NOT NULL,
            run_ms      bigint NOT NULL,
            run_max_ms  bigint NOT NULL,
            PRIMARY KEY (queue, minute)
          )"""
      },
      EventLogSchema.QUIET, // 9 -> 10: the event triggers send no NOTIFY
      new String[] { // 10 -> 11 (issue 15): per-key limits, fairness and rate limits (PostgresFlow)
          "ALTER TABLE {s}.queue_controls ADD COLUMN key_cursor text",
          """
          CREATE TABLE {s}.flow_starts (
            queue      text        NOT NULL,
            fkey       text        NOT NULL,
            started_at timestamptz NOT NULL
          )""",
          "CREATE INDEX flow_starts_queue ON {s}.flow_starts (queue, started_at)",
          "CREATE INDEX flow_starts_key ON {s}.flow_starts (queue, fkey, started_at)"
      },
      // 11 -> 12 (issue 14, pgsched; assigned 13): schedule rows updated in
      // place (docs/schedules.md, profile).
      new String[] {
          // A fire's claim and its last run change no indexed column: with room left on the
          // page they are HOT updates, which add no index entries and are pruned without a
          // vacuum. Only the move of next_due adds entries. New pages keep half free; the
          // rows already there move to such pages as they are updated.
          "ALTER TABLE {s}.schedules SET (fillfactor = 50, "
              + "autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01)"
      });

  /** The version this code writes. */
  static final int CURRENT = MIGRATIONS.size();

  private Schema() {}

  /**
   * {@code schema} if it is a plain lower-case SQL name (so it is never quoted and fits the
   * channel names derived from it).
   *
   * @throws IllegalArgumentException naming the rule otherwise
   */
  static String checkName(String schema) {
    if (schema == null || !NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException("schema must be a lower-case SQL name of 1 to 40 "
          + "characters (a-z, 0-9, _; not starting with a digit), was '" + schema + "'");
    }
    return schema;
  }

  /** {@code sql} with {@code {s}} replaced by {@code schema}. */
  static String qualify(String schema, String sql) {
    return sql.replace("{s}", schema);
  }

  /**
   * Brings {@code schema} to {@link #CURRENT}, or refuses it.
   *
   * @throws IllegalStateException if it was written by a newer Errand or is not Errand's
   */
  static void migrate(Tx tx, String schema, String where) throws SQLException {
    try (PreparedStatement lock = tx.prepare(
        "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
      lock.setString(1, "errand-migrate:" + schema);
      lock.execute();
    }
    int version = version(tx, schema, where);
    if (version > CURRENT) {
      throw new IllegalStateException("schema " + schema + " of " + where + " has Errand "
          + "schema version " + version + ", newer than this Errand knows (" + CURRENT
          + "): it was written by a newer release. Run that release, or a newer one, on it; "
          + "it was left untouched");
    }
    if (version == CURRENT) {
      return;
    }
    try (Statement s = tx.connection.createStatement()) {
      s.executeUpdate(qualify(schema, "CREATE SCHEMA IF NOT EXISTS {s}"));
      if (version == 0) {
        s.executeUpdate(qualify(schema, "CREATE TABLE {s}.errand_schema (version integer "
            + "NOT NULL)"));
        s.executeUpdate(qualify(schema, "INSERT INTO {s}.errand_schema VALUES (0)"));
      }
      for (int v = version; v < CURRENT; v++) {
        for (String sql : MIGRATIONS.get(v)) {
          s.executeUpdate(qualify(schema, sql));
        }
      }
      s.executeUpdate(qualify(schema, "UPDATE {s}.errand_schema SET version = " + CURRENT));
    }
  }

  /** The schema's version: 0 if it does not exist or is empty. */
  private static int version(Tx tx, String schema, String where) throws SQLException {
    try (PreparedStatement ps = tx.prepare("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, schema + ".errand_schema");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          try (Statement s = tx.connection.createStatement();
              ResultSet v = s.executeQuery(qualify(schema,
                  "SELECT version FROM {s}.errand_schema"))) {
            return v.next() ? v.getInt(1) : 0;
          }
        }
      }
    }
    try (PreparedStatement ps = tx.prepare("SELECT count(*) FROM pg_class c JOIN pg_namespace n "
        + "ON n.oid = c.relnamespace WHERE n.nspname = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) > 0) {
          throw new IllegalStateException("schema " + schema + " of " + where + " holds "
              + "tables but no Errand schema version: it is not an Errand store. It was left "
              + "untouched; give the store another schema");
        }
      }
    }
    return 0;
  }
}
