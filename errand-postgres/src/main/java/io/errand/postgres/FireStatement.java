package io.errand.postgres;

import io.errand.api.QueueFullException;
import io.errand.spi.NewTask;
import io.errand.spi.ScheduleStore.Applied;
import io.errand.spi.ScheduleStore.DueFire;
import io.errand.spi.ScheduleStore.FireResult;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The on-time fires of one look as one statement, run in autocommit: one round trip, its commit
 * included, whatever their number ({@link PostgresSchedules#fireAll} and, for one fire,
 * {@link PostgresSchedules#advance} try it first). Each fire keeps
 * the guarantee of a lone {@link PostgresSchedules#advance}; the statement's parts, all in one
 * atomic step:
 *
 * <ol>
 *   <li>the queues' waiting counts ({@link WaitingCounts}), and which fires fit their queue's
 *       capacity, in batch order (as {@link PlainSubmits} decides);
 *   <li>the compare-and-set over the fitting fires: a schedule moves only if it is ACTIVE and
 *       still waits for its expected occurrence, and the same row version records the last
 *       run, its task id drawn here (or the queue's given id). One new row version per fire
 *       where the move and the last run made two, the first dead at once with an index entry
 *       ahead of now (docs/schedules.md, "Where a fire's time goes on PostgreSQL");
 *   <li>the moved schedules' tasks, their fire records under the unique (schedule, occurrence)
 *       key, the counts added to and one {@code NOTIFY} per queue;
 *   <li>a few fire records older than {@link PostgresSchedules#FIRES_KEPT} per moved schedule
 *       pruned, each found by the primary key ({@link #PRUNE}).
 * </ol>
 *
 * <p>No part says {@code ON CONFLICT}: a unique index that refuses a row (a given id already
 * used, a live task with the occurrence's key, an occurrence already recorded, none of which
 * the compare-and-set lets happen between Errand nodes) fails the statement, which leaves
 * nothing, and the caller writes the batch again the careful way ({@link ScheduleFires}).
 * Fires that lose the compare-and-set still take their place in the capacity count: near a
 * full queue one may be refused that would have fitted, and is tried again a second later.
 */
final class FireStatement {
  /**
   * How many fire records older than {@link PostgresSchedules#FIRES_KEPT} one fire prunes of its
   * schedule: more than the one it adds, so a backlog shrinks, and bounded, so a fire never
   * deletes an unbounded number of rows.
   */
  static final int PRUNE = 4;

  /** The unique violation SQLSTATE: a unique index refused a row. */
  static final String UNIQUE_VIOLATION = "23505";

  /** The deadlock SQLSTATE: the transaction way retries it. */
  static final String DEADLOCK = "40P01";

  private final String sql;

  FireStatement(String schema) {
    sql = Schema.qualify(schema, """
        WITH v AS (
          SELECT u.* FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],
                                 ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[],
                                 ?::int[])
                          WITH ORDINALITY AS u(name, expected, next, occurrence, given, queue,
                                               args, created_at, run_at, key, priority, capacity,
                                               ord)),
        c AS (
          SELECT queue, sum(n) AS n FROM {s}.waiting
          WHERE queue IN (SELECT DISTINCT queue FROM v) GROUP BY queue),
        f AS (
          SELECT v.*, coalesce(c.n, 0)
                        + row_number() OVER (PARTITION BY v.queue ORDER BY v.ord)
                      <= v.capacity AS fits
          FROM v LEFT JOIN c ON c.queue = v.queue),
        m AS (
          UPDATE {s}.schedules s SET next_due = f.next::timestamptz, claimed_by = NULL,
                 claimed_until = NULL, last_occurrence = f.occurrence::timestamptz,
                 last_task = coalesce(f.given, nextval('{s}.task_ids')),
                 last_fired_at = f.created_at::timestamptz
          FROM f
          WHERE f.fits AND s.name = f.name AND s.state = 'ACTIVE'
            AND s.next_due IS NOT DISTINCT FROM f.expected::timestamptz
          RETURNING s.name, s.last_task AS id),
        i AS (
          INSERT INTO {s}.tasks (id, queue, status, held, args, created_at, run_at, key,
                                 priority, grp, ready)
          SELECT m.id, f.queue, 'WAITING', false, f.args, f.created_at::timestamptz,
                 f.run_at::timestamptz, f.key, f.priority, 0,
                 f.run_at::timestamptz <= f.created_at::timestamptz
          FROM m JOIN f ON f.name = m.name ORDER BY f.ord
          RETURNING id, queue),
        r AS (
          INSERT INTO {s}.schedule_fires (schedule, occurrence, task, fired_at)
          SELECT m.name, f.occurrence::timestamptz, m.id, f.created_at::timestamptz
          FROM m JOIN f ON f.name = m.name),
        p AS (
          DELETE FROM {s}.schedule_fires WHERE ctid = ANY(ARRAY(
            SELECT o.ctid FROM m JOIN f ON f.name = m.name, LATERAL (
              SELECT ctid FROM {s}.schedule_fires
              WHERE schedule = m.name
                AND occurrence < f.occurrence::timestamptz - interval '%d seconds'
              ORDER BY occurrence LIMIT %d) o))),
        counts AS (
          INSERT INTO {s}.waiting AS w (queue, slot, n)
          SELECT queue, %s, count(*) FROM i GROUP BY queue ORDER BY queue%s),
        n AS (
          SELECT pg_notify(?, ? || ' ' || q.queue) FROM (SELECT DISTINCT queue FROM i) q)
        SELECT f.fits, m.id FROM f LEFT JOIN m ON m.name = f.name
        CROSS JOIN (SELECT count(*) FROM n) AS sent
        ORDER BY f.ord""".formatted(PostgresSchedules.FIRES_KEPT.toSeconds(), PRUNE,
        WaitingCounts.SLOT, WaitingCounts.ADD_ON_CONFLICT));
  }

  /**
   * Applies {@code fires} ({@code args}: their tasks' encoded arguments) with one statement on
   * {@code tx}'s connection, which must be in autocommit, and announces the tasks at commit.
   *
   * @return each fire's result, in order; null if a unique index refused a row or the statement
   *     was chosen as a deadlock's victim, in which case nothing was written or announced
   */
  List<FireResult> apply(Tx tx, Opened o, List<DueFire> fires, List<String> args)
      throws SQLException {
    int n = fires.size();
    Long[] given = new Long[n];
    String[][] text = new String[9][n]; // name, expected, next, occurrence, queue, args,
    Integer[] priority = new Integer[n]; // created_at, run_at, key
    Integer[] capacity = new Integer[n];
    boolean delayed = false;
    for (int k = 0; k < n; k++) {
      DueFire f = fires.get(k);
      NewTask t = f.fire().task();
      text[0][k] = f.name();
      text[1][k] = ScheduleFires.text(f.expectedNextDue());
      text[2][k] = ScheduleFires.text(f.fire().nextDue());
      text[3][k] = ScheduleFires.text(f.fire().occurrence());
      given[k] = t.id() > 0 ? t.id() : null;
      text[4][k] = t.queue();
      text[5][k] = args.get(k);
      text[6][k] = Row.timestamp(t.createdAt()).toString();
      text[7][k] = Row.timestamp(t.runAt()).toString();
      text[8][k] = t.key();
      priority[k] = t.priority();
      capacity[k] = t.capacity();
      delayed |= t.runAt().isAfter(t.createdAt());
    }
    InsertStatement.Notice notice = o.signalling.workNotice(delayed);
    Connection c = tx.connection;
    FireResult[] out = new FireResult[n];
    try (PreparedStatement ps = tx.prepare(sql)) {
      Array[] arrays = {c.createArrayOf("text", text[0]), c.createArrayOf("text", text[1]),
          c.createArrayOf("text", text[2]), c.createArrayOf("text", text[3]),
          c.createArrayOf("bigint", given), c.createArrayOf("text", text[4]),
          c.createArrayOf("text", text[5]), c.createArrayOf("text", text[6]),
          c.createArrayOf("text", text[7]), c.createArrayOf("text", text[8]),
          c.createArrayOf("integer", priority), c.createArrayOf("integer", capacity)};
      for (int k = 0; k < arrays.length; k++) {
        ps.setArray(k + 1, arrays[k]);
      }
      ps.setString(arrays.length + 1, notice.channel());
      ps.setString(arrays.length + 2, notice.origin());
      try (ResultSet rs = ps.executeQuery()) {
        for (int k = 0; rs.next(); k++) {
          NewTask t = fires.get(k).fire().task();
          boolean fits = rs.getBoolean(1);
          long id = rs.getLong(2);
          boolean moved = !rs.wasNull();
          if (!fits) {
            out[k] = new FireResult(Optional.empty(),
                new QueueFullException(t.queue(), t.capacity()));
          } else if (!moved) {
            out[k] = new FireResult(Optional.empty(), null); // another node decided it first
          } else {
            out[k] = new FireResult(Optional.of(new Applied(id)), null);
          }
        }
      }
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState()) || DEADLOCK.equals(e.getSQLState())) {
        return null;
      }
      throw e;
    }
    Map<String, Boolean> queues = new LinkedHashMap<>(); // queue -> whether a task is delayed
    for (int k = 0; k < n; k++) {
      if (out[k].applied().isPresent()) {
        NewTask t = fires.get(k).fire().task();
        o.signalling.added(tx, out[k].applied().get().taskId(), t.queue(), t.key(),
            t.createdAt());
        queues.merge(t.queue(), t.runAt().isAfter(t.createdAt()), Boolean::logicalOr);
      }
    }
    queues.forEach((q, d) -> o.signalling.announced(tx, q, d));
    return List.of(out);
  }
}
