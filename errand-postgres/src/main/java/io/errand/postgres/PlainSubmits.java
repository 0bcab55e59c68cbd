package io.errand.postgres;

import io.errand.spi.NewTask;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of plain submits (no key, no given id: what most submits are) written with one
 * statement that reads the queues' waiting counts, refuses the rows that would pass their
 * queue's capacity, inserts the others, adds them to the counts and notifies each queue that got
 * rows. Run in autocommit, the whole batch is one round trip, its commit included.
 *
 * <p>Capacity is decided as {@link Inserts} decides it, row by row in batch order: a row fits if
 * the queue's count plus its rank among the batch's rows of that queue does not pass the
 * capacity. That is the same answer only if every row of a queue has the same capacity (the
 * queue's), which the caller checks ({@link #applies}); an id is drawn for fitting rows only.
 */
final class PlainSubmits {
  /**
   * A row's answer: its id, or null if its queue is full; whether a unique index let it in (a
   * number of the sequence that a given id took already is refused).
   */
  record Answer(Long id, boolean inserted) {}

  private final String sql;
  private final String quiet;

  PlainSubmits(String schema) {
    sql = Schema.qualify(schema, """
        WITH r AS (
          SELECT u.* FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[])
                          WITH ORDINALITY AS u(queue, args, created_at, run_at, priority,
                                               capacity, ord)),
        c AS (
          SELECT queue, sum(n) AS n FROM {s}.waiting
          WHERE queue IN (SELECT DISTINCT queue FROM r) GROUP BY queue),
        f AS (
          SELECT CASE WHEN coalesce(c.n, 0)
                             + row_number() OVER (PARTITION BY r.queue ORDER BY r.ord)
                           <= r.capacity
                      THEN nextval('{s}.task_ids') END AS id,
                 r.ord, r.queue, r.args, r.created_at::timestamptz AS created_at,
                 r.run_at::timestamptz AS run_at, r.priority
          FROM r LEFT JOIN c ON c.queue = r.queue),
        i AS (
          INSERT INTO {s}.tasks (id, queue, status, held, args, created_at, run_at, priority,
                                 ready)
          SELECT id, queue, 'WAITING', false, args, created_at, run_at, priority,
                 run_at <= created_at
          FROM f WHERE id IS NOT NULL ORDER BY ord
          ON CONFLICT DO NOTHING RETURNING id, queue),
        counts AS (
          INSERT INTO {s}.waiting AS w (queue, slot, n)
          SELECT queue, %s, count(*) FROM i GROUP BY queue ORDER BY queue%s),
        n AS (
          SELECT pg_notify(?, ? || ' ' || q.queue) FROM (SELECT DISTINCT queue FROM i) q)
        SELECT f.id, i.id IS NOT NULL FROM f LEFT JOIN i ON i.id = f.id
        CROSS JOIN (SELECT count(*) FROM n) AS sent
        ORDER BY f.ord""".formatted(WaitingCounts.SLOT, WaitingCounts.ADD_ON_CONFLICT));
    // Without a notice: the same statement minus n (the caller notifies after the commit).
    quiet = sql.replace("""
        ,
        n AS (
          SELECT pg_notify(?, ? || ' ' || q.queue) FROM (SELECT DISTINCT queue FROM i) q)""", "")
        .replace("\nCROSS JOIN (SELECT count(*) FROM n) AS sent", "");
    if (quiet.contains("pg_notify")) {
      throw new IllegalStateException("the quiet form of the plain submit still notifies");
    }
  }

  /**
   * Whether {@code tasks} can be written by this statement: none has a key or a given id, and
   * the tasks of each queue have one capacity.
   */
  static boolean applies(List<NewTask> tasks) {
    Map<String, Integer> capacity = new HashMap<>();
    for (NewTask t : tasks) {
      if (t.key() != null || t.id() > 0
          || capacity.merge(t.queue(), t.capacity(), (a, b) -> a.equals(b) ? a : -1) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes {@code tasks} (their arguments encoded as {@code args}), notifying each queue that
   * got rows as {@code notice} says, or not at all if it is null; answers per task in order.
   */
  Answer[] write(Connection c, List<NewTask> tasks, List<String> args,
      InsertStatement.Notice notice) throws SQLException {
    int n = tasks.size();
    String[] queue = new String[n];
    String[] created = new String[n];
    String[] runAt = new String[n];
    Integer[] priority = new Integer[n];
    Integer[] capacity = new Integer[n];
    for (int k = 0; k < n; k++) {
      NewTask t = tasks.get(k);
      queue[k] = t.queue();
      created[k] = Row.timestamp(t.createdAt()).toString();
      runAt[k] = Row.timestamp(t.runAt()).toString();
      priority[k] = t.priority();
      capacity[k] = t.capacity();
    }
    Answer[] out = new Answer[n];
    try (PreparedStatement ps = c.prepareStatement(notice == null ? quiet : sql)) {
      Array[] arrays = {c.createArrayOf("text", queue),
          c.createArrayOf("text", args.toArray(String[]::new)), c.createArrayOf("text", created),
          c.createArrayOf("text", runAt), c.createArrayOf("integer", priority),
          c.createArrayOf("integer", capacity)};
      for (int k = 0; k < arrays.length; k++) {
        ps.setArray(k + 1, arrays[k]);
      }
      if (notice != null) {
        ps.setString(arrays.length + 1, notice.channel());
        ps.setString(arrays.length + 2, notice.origin());
      }
      try (ResultSet rs = ps.executeQuery()) {
        for (int k = 0; rs.next(); k++) {
          long id = rs.getLong(1);
          out[k] = new Answer(rs.wasNull() ? null : id, rs.getBoolean(2));
        }
      }
    }
    return out;
  }
}
