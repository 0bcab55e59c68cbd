package io.errand.postgres;

/**
 * The cluster's event log in SQL: the {@code events} table and the triggers on {@code tasks}
 * that write a task's events in the very transaction that changes it (so an event exists if and
 * only if its change committed, whichever node, or a caller's transaction, made it). Statement
 * triggers with transition tables: a batched insert, claim or end writes its events with one
 * {@code INSERT ... SELECT}, and the commit's one {@code NOTIFY} on {@code <schema>_events}
 * wakes every node's {@link EventTail}.
 *
 * <p>The event is derived from the row's change: inserted → ADDED; WAITING → RUNNING →
 * STARTED; RUNNING with new progress → PROGRESS; a terminal status → SUCCEEDED, FAILED or
 * CANCELLED; RUNNING → WAITING with an error added → RETRYING (a requeue adds none, and makes
 * no event, as on one node).
 *
 * <p><b>BATCH_FINISHED exactly once.</b> A transaction that ends tasks of a group takes the
 * group's transaction lock, then (with a fresh snapshot, as each statement of a PL/pgSQL
 * function in READ COMMITTED) looks for a live task of the group. Two transactions ending the
 * last two tasks are serialized by the lock: the first sees the other's task still live, the
 * second sees the first's end committed; so exactly one of them writes the event. Groups are
 * locked in id order, so two such transactions never deadlock.
 *
 * <p><b>The fence.</b> {@code event_fence()} reads the last number handed out, then takes a
 * transaction id of its own: every transaction that holds an event number up to
 * {@code last_seq} had its id before taking the number (a trigger runs after its row was
 * written; {@link EventAppender} asks for its id first), hence an id below the fence's. Once a
 * later snapshot's {@code xmin} is above the fence's id, all of them have ended and the events
 * up to {@code last_seq} are final ({@link EventTail}). A snapshot's {@code xmax} would not do:
 * it is one past the highest <em>completed</em> id, and a transaction with a higher id may be
 * running. The fence's transaction writes nothing, so its commit waits for no disk flush.
 */
final class EventLogSchema {
  /** The ADDED trigger's function; {@code {notify-added}} is where version 7 notified. */
  private static final String LOG_ADDED = """
      CREATE OR REPLACE FUNCTION {s}.log_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO {s}.events (type, task, queue, status, at, key)
        SELECT 'ADDED', id, queue, status, created_at, key FROM new_rows ORDER BY id;
{notify-added}        RETURN NULL;
      END $$
      """;
  /** The changes' trigger function; {@code {notify-changed}} is where version 7 notified. */
  private static final String LOG_CHANGED = """
      CREATE OR REPLACE FUNCTION {s}.log_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        g bigint;
        logged boolean;
      BEGIN
        INSERT INTO {s}.events (type, task, queue, status, attempt, current, total, message, at,
                                key)
        SELECT e.type, e.id, e.queue, e.status, e.attempt, e.current, e.total, e.message, e.at,
               e.key
        FROM (SELECT CASE
                WHEN o.status = n.status THEN
                  CASE WHEN n.status = 'RUNNING' AND (n.current, n.total, n.message)
                         IS DISTINCT FROM (o.current, o.total, o.message) THEN 'PROGRESS' END
                WHEN n.status = 'RUNNING' THEN 'STARTED'
                WHEN n.status = 'SUCCESS' THEN 'SUCCEEDED'
                WHEN n.status = 'FAILURE' THEN 'FAILED'
                WHEN n.status = 'CANCELLED' THEN 'CANCELLED'
                WHEN n.errors IS DISTINCT FROM o.errors THEN 'RETRYING'
              END AS type, n.id, n.queue, n.status, n.attempt, n.current, n.total, n.message,
              CASE WHEN n.status = 'RUNNING' AND o.status <> 'RUNNING' THEN n.started_at
                   WHEN n.status IN ('SUCCESS', 'FAILURE', 'CANCELLED') AND o.status <> n.status
                     THEN coalesce(n.finished_at, now())
                   ELSE now() END AS at, n.key
              FROM new_rows n JOIN old_rows o USING (id)) e
        WHERE e.type IS NOT NULL ORDER BY e.id;
        logged := FOUND;
        FOR g IN SELECT DISTINCT n.grp FROM new_rows n JOIN old_rows o USING (id)
                 WHERE n.grp <> 0 AND n.status IN ('SUCCESS', 'FAILURE', 'CANCELLED')
                   AND o.status IN ('WAITING', 'RUNNING')
                 ORDER BY n.grp LOOP
          PERFORM pg_advisory_xact_lock(hashtextextended('errand-group:{s}', g));
          IF NOT EXISTS (SELECT 1 FROM {s}.tasks WHERE grp = g
                         AND status IN ('WAITING', 'RUNNING')) THEN
            INSERT INTO {s}.events (type, task, queue, message, at)
            SELECT 'BATCH_FINISHED', g, (array_agg(queue ORDER BY id))[1],
                   count(*) FILTER (WHERE status = 'SUCCESS') || ' succeeded, '
                   || count(*) FILTER (WHERE status = 'FAILURE') || ' failed, '
                   || count(*) FILTER (WHERE status = 'CANCELLED') || ' cancelled', now()
            FROM {s}.tasks WHERE grp = g;
            logged := true;
          END IF;
        END LOOP;
{notify-changed}        RETURN NULL;
      END $$
      """;
  private static final String NOTIFY_ADDED = """
        IF FOUND THEN
          PERFORM pg_notify('{s}_events', '');
        END IF;
      """;
  private static final String NOTIFY_CHANGED = """
        IF logged THEN
          PERFORM pg_notify('{s}_events', '');
        END IF;
      """;

  /** Version 7: the event log, its triggers notifying at the writing transaction's commit. */
  static final String[] MIGRATION = {
      "CREATE SEQUENCE {s}.event_seqs",
      """
      CREATE TABLE {s}.events (
        seq       bigint      PRIMARY KEY DEFAULT nextval('{s}.event_seqs'),
        type      text        NOT NULL,
        task      bigint      NOT NULL,
        queue     text        NOT NULL,
        status    text,
        attempt   integer     NOT NULL DEFAULT 0,
        current   bigint      NOT NULL DEFAULT 0,
        total     bigint      NOT NULL DEFAULT 0,
        message   text,
        at        timestamptz NOT NULL,
        key       text,
        delivered boolean     NOT NULL DEFAULT false
      ) WITH (autovacuum_vacuum_scale_factor = 0.01,
              autovacuum_vacuum_insert_scale_factor = 0.01)""",
      "ALTER SEQUENCE {s}.event_seqs OWNED BY {s}.events.seq",
      LOG_ADDED.replace("{notify-added}", NOTIFY_ADDED),
      LOG_CHANGED.replace("{notify-changed}", NOTIFY_CHANGED),
      """
      CREATE FUNCTION {s}.event_fence(OUT last_seq bigint, OUT fence bigint, OUT xmin bigint)
      LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO last_seq FROM {s}.event_seqs;
        fence := pg_current_xact_id()::text::bigint;
        SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint INTO xmin;
      END $$""",
      "CREATE TRIGGER tasks_added AFTER INSERT ON {s}.tasks REFERENCING NEW TABLE AS new_rows "
          + "FOR EACH STATEMENT EXECUTE FUNCTION {s}.log_added()",
      "CREATE TRIGGER tasks_changed AFTER UPDATE ON {s}.tasks REFERENCING OLD TABLE AS old_rows "
          + "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.log_changed()"
  };

  /**
   * Version 12: the triggers no longer notify. A {@code NOTIFY} in a transaction takes
   * PostgreSQL's one notification lock at commit and holds it through the commit's WAL flush,
   * so every claim, end and submit of every node committed one after the other (docs/postgres.md
   * 4.1). The node that committed tells the others instead, from its tail's next fence
   * ({@link EventTail#announce}), a transaction that flushes nothing.
   */
  static final String[] QUIET = {
      LOG_ADDED.replace("{notify-added}", ""),
      LOG_CHANGED.replace("{notify-changed}", "")
  };

  private EventLogSchema() {}
}
