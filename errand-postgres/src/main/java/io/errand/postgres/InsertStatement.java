package io.errand.postgres;

import io.errand.spi.NewTask;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Inserts many WAITING tasks with one statement: the rows travel as one array per column
 * ({@code unnest ... WITH ORDINALITY}), so N tasks cost one round trip and one plan instead of
 * N. The first CTE gives each row its id (the given one, or the next of the sequence: it is
 * referenced twice, so PostgreSQL computes it once and each row draws one number); the second
 * inserts with {@code ON CONFLICT DO NOTHING}; the result joins the two, so each row learns its
 * id and whether it went in. A row that did not go in was refused by a unique index: its given
 * id is taken, a given id took its number, or its queue and key have a live task.
 *
 * <p>The writer's form ({@link #insertCounted}) also adds the inserted rows to their queues'
 * waiting counts ({@link WaitingCounts}) and sends one {@code NOTIFY} per queue that got rows,
 * as further parts of the same statement: a batch of submits is one round trip and the commit.
 *
 * <p>Times travel as ISO text (truncated to the microsecond, as {@link Row#timestamp}): pgjdbc
 * has no array form of {@code timestamptz} values.
 */
final class InsertStatement {
  /** A row to insert: the task, its encoded arguments, its group and whether it is held. */
  record Item(NewTask task, String args, long group, boolean held) {}

  /** What to notify per queue that got rows: {@code pg_notify(channel, origin || ' ' || q)}. */
  record Notice(String channel, String origin) {}

  private final String sql;
  private final String counted;
  private final String countedAndNotified;

  InsertStatement(String schema) {
    String rows = """
        WITH r AS (
          SELECT coalesce(u.given, nextval('{s}.task_ids')) AS id, u.ord, u.queue, u.held,
                 u.args, u.created_at::timestamptz AS created_at, u.run_at::timestamptz AS run_at,
                 u.key, u.priority, u.grp
          FROM unnest(?::bigint[], ?::text[], ?::boolean[], ?::text[], ?::text[], ?::text[],
                      ?::text[], ?::int[], ?::bigint[])
               WITH ORDINALITY AS u(given, queue, held, args, created_at, run_at, key, priority,
                                    grp, ord)),
        i AS (
          INSERT INTO {s}.tasks (id, queue, status, held, args, created_at, run_at, key,
                                 priority, grp, ready)
          SELECT id, queue, 'WAITING', held, args, created_at, run_at, key, priority, grp,
                 run_at <= created_at
          FROM r ORDER BY ord
          ON CONFLICT DO NOTHING RETURNING id, queue)""";
    String count = """
        , counts AS (
          INSERT INTO {s}.waiting AS w (queue, slot, n)
          SELECT queue, %s, count(*) FROM i GROUP BY queue ORDER BY queue%s)"""
        .formatted(WaitingCounts.SLOT, WaitingCounts.ADD_ON_CONFLICT);
    String notify = """
        , n AS (SELECT pg_notify(?, ? || ' ' || q.queue)
                FROM (SELECT DISTINCT queue FROM i) q)""";
    String answer = " SELECT r.id, i.id IS NOT NULL FROM r LEFT JOIN i ON i.id = r.id";
    String order = " ORDER BY r.ord";
    sql = Schema.qualify(schema, rows + answer + order);
    counted = Schema.qualify(schema, rows + count + answer + order);
    // n is a query, run only if referenced: the cross join with its count makes sure it runs.
    countedAndNotified = Schema.qualify(schema, rows + count + notify + answer
        + " CROSS JOIN (SELECT count(*) FROM n) AS sent" + order);
  }

  /**
   * Inserts {@code items}; answers, per item in order, its new id, or null if a unique index
   * refused it. Two items must not give the same id (the caller merges or refuses them).
   */
  Long[] insert(Connection c, List<Item> items) throws SQLException {
    return run(c, sql, items, null);
  }

  /**
   * {@link #insert}, adding the inserted rows to their queues' waiting counts in the same
   * statement, and, if {@code notice} is not null, notifying each queue that got rows.
   */
  Long[] insertCounted(Connection c, List<Item> items, Notice notice) throws SQLException {
    return run(c, notice == null ? counted : countedAndNotified, items, notice);
  }

  private static Long[] run(Connection c, String sql, List<Item> items, Notice notice)
      throws SQLException {
    int n = items.size();
    Long[] given = new Long[n];
    String[] queue = new String[n];
    Boolean[] held = new Boolean[n];
    String[] args = new String[n];
    String[] created = new String[n];
    String[] runAt = new String[n];
    String[] key = new String[n];
    Integer[] priority = new Integer[n];
    Long[] group = new Long[n];
    for (int k = 0; k < n; k++) {
      Item it = items.get(k);
      NewTask t = it.task();
      given[k] = t.id() > 0 ? t.id() : null;
      queue[k] = t.queue();
      held[k] = it.held();
      args[k] = it.args();
      created[k] = Row.timestamp(t.createdAt()).toString();
      runAt[k] = Row.timestamp(t.runAt()).toString();
      key[k] = t.key();
      priority[k] = t.priority();
      group[k] = it.group();
    }
    Long[] out = new Long[n];
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Array[] arrays = {c.createArrayOf("bigint", given), c.createArrayOf("text", queue),
          c.createArrayOf("boolean", held), c.createArrayOf("text", args),
          c.createArrayOf("text", created), c.createArrayOf("text", runAt),
          c.createArrayOf("text", key), c.createArrayOf("integer", priority),
          c.createArrayOf("bigint", group)};
      for (int k = 0; k < arrays.length; k++) {
        ps.setArray(k + 1, arrays[k]);
      }
      if (notice != null) {
        ps.setString(arrays.length + 1, notice.channel());
        ps.setString(arrays.length + 2, notice.origin());
      }
      try (ResultSet rs = ps.executeQuery()) {
        for (int k = 0; rs.next(); k++) {
          out[k] = rs.getBoolean(2) ? rs.getLong(1) : null;
        }
      }
    }
    return out;
  }
}
