package io.errand.sqlite;

import io.errand.api.ConcurrencyKey;
import io.errand.spi.FlowLimits;
import io.errand.spi.StartWindow;
import io.errand.spi.Transition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One queue's per-key limits, fairness and rate limits in the SQLite store. One process owns
 * the file and every claim runs on the writer thread, so this keeps the rate windows and the
 * round-robin cursor in memory and is exact. The key value is an SQL expression over the row
 * ({@link #keyExpression}), with an index of the queue's ready tasks by key value made when the
 * limits are declared ({@link #index}), so that finding the next key value after the cursor and
 * that key's most urgent task are each one probe of it, whatever the backlog.
 *
 * <p>A claim walks the key values in order from the one after the cursor, wrapping once, and
 * takes the most urgent ready task of the first value that is neither at its per-key limit (its
 * RUNNING tasks counted in the claim's transaction) nor out of its rate; the cursor moves to
 * that value. Priority orders tasks within one key value, not across them.
 */
final class SqliteFlow {
  final FlowLimits limits;
  private final String queue;
  private final String key;
  private final String firstKey;
  private final String nextKey;
  private final String claim;
  private final String runningByKey;
  private final String keyOfTask;
  private final String index;
  private final StartWindow queueStarts;
  private final Map<String, StartWindow> keyStarts = new HashMap<>();
  private String cursor;
  /** The epoch micros of the last start, when a rate limit counts them. */
  private long lastStart = Long.MIN_VALUE;

  SqliteFlow(String queue, FlowLimits limits) {
    this.queue = queue;
    this.limits = limits;
    this.key = keyExpression(limits.key());
    String q = "'" + queue.replace("'", "''") + "'";
    String name = "tasks_flow_" + Integer.toHexString((queue + "\0" + key).hashCode());
    String ready = "queue = " + q + " AND status = 'WAITING' AND held = 0 AND ready = 1";
    this.index = "CREATE INDEX IF NOT EXISTS " + name + " ON tasks (queue, " + key
        + ", priority DESC, run_at, id) WHERE " + ready;
    String from = " FROM tasks INDEXED BY " + name + " WHERE " + ready;
    this.firstKey = "SELECT " + key + from + " ORDER BY " + key + " LIMIT 1";
    this.nextKey = "SELECT " + key + from + " AND " + key + " > ? ORDER BY " + key + " LIMIT 1";
    this.claim = "UPDATE OR FAIL tasks SET status = '" + Transition.CLAIM.to()
        + "', attempt = attempt + 1, started_at = ?, node = ?, cancel_requested = 0, "
        + "cancel_reason = NULL WHERE id = (SELECT id" + from + " AND " + key + " = ? AND run_at"
        + " <= ? ORDER BY priority DESC, run_at, id LIMIT 1) RETURNING " + Row.CLAIM_COLUMNS;
    this.runningByKey = "SELECT " + key + ", count(*) FROM tasks WHERE queue = ? AND status = "
        + "'RUNNING' GROUP BY 1";
    this.keyOfTask = "SELECT " + key + " FROM tasks WHERE id = ?";
    this.queueStarts = limits.rate() == null ? null : new StartWindow(limits.rate());
  }

  /**
   * The key value of a row as SQL: the submit's key, or the text of an argument field (a
   * missing field or a JSON null gives '', shared by all such tasks).
   */
  static String keyExpression(ConcurrencyKey key) {
    if (key == null) {
      return "''";
    }
    return switch (key) {
      case ConcurrencyKey.SubmitKey s -> "ifnull(key, '')";
      case ConcurrencyKey.ArgsField f -> "CAST(ifnull(json_extract(args, '" + path(f.pointer())
          + "'), '') AS TEXT)";
    };
  }

  /** A JSON pointer as a SQLite JSON path: /a/b/0 is $."a"."b"[0]. */
  static String path(String pointer) {
    StringBuilder p = new StringBuilder("$");
    for (String part : pointer.substring(1).split("/", -1)) {
      String name = part.replace("~1", "/").replace("~0", "~");
      if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 9) {
        p.append('[').append(name).append(']');
      } else {
        p.append(".\"").append(name.replace("\"", "\\\"").replace("'", "''")).append('"');
      }
    }
    return p.toString();
  }

  /** The statement that makes this flow's index (harmless when it exists), or null: no key. */
  String index() {
    return limits.keyed() ? index : null;
  }

  /**
   * Claims the next task by the turn over key values, or null when none may start now. On the
   * writer thread, after the due tasks were marked ready. A batch rolled back after it leaves
   * its starts counted in the rate windows: a rate then holds a little more, never less.
   */
  synchronized Row claim(Writer.Tx tx, String node, long given) throws SQLException {
    // Claimers read the clock before their claim reaches the writer, so their times may come
    // out of order: a rate's window must see starts in order to be exact.
    long now = queueStarts != null || limits.perKeyRate() != null ? Math.max(given, lastStart)
        : given;
    Row row = claimAt(tx, node, now);
    if (row != null) {
      lastStart = now;
    }
    return row;
  }

  private Row claimAt(Writer.Tx tx, String node, long now) throws SQLException {
    if (queueStarts != null && !queueStarts.open(now)) {
      return null;
    }
    if (!limits.keyed()) {
      Row row = takeAny(tx, node, now);
      if (row != null) {
        queueStarts.started(now);
      }
      return row;
    }
    Map<String, Long> running = limits.perKey() > 0 ? running(tx) : Map.of();
    Set<String> seen = new HashSet<>();
    String k = cursor == null ? first(tx) : next(tx, cursor);
    boolean wrapped = cursor == null;
    while (true) {
      if (k == null) {
        if (wrapped) {
          return null;
        }
        wrapped = true;
        k = first(tx);
        continue;
      }
      if (!seen.add(k)) {
        return null; // every key value with ready tasks was looked at
      }
      if (!blocked(k, running, now)) {
        Row row = take(tx, k, node, now);
        if (row != null) {
          cursor = k;
          if (queueStarts != null) {
            queueStarts.started(now);
          }
          if (limits.perKeyRate() != null) {
            keyStarts.computeIfAbsent(k, x -> new StartWindow(limits.perKeyRate())).started(now);
          }
          return row;
        }
      }
      k = next(tx, k);
    }
  }

  /**
   * Epoch micros of the next allowed start when tasks are due ({@code due <= now}) but held
   * by a rate, {@code due} when nothing holds them, or null when only an end makes room.
   */
  synchronized Long nextDue(long due, long now) {
    if (due > now) {
      return queueStarts == null ? due : Math.max(due, queueStarts.nextOpenMicros(now));
    }
    long open = Long.MAX_VALUE;
    if (queueStarts != null && !queueStarts.open(now)) {
      return queueStarts.nextOpenMicros(now);
    }
    for (StartWindow w : keyStarts.values()) {
      if (!w.open(now)) {
        open = Math.min(open, w.nextOpenMicros(now));
      }
    }
    if (open != Long.MAX_VALUE) {
      return open;
    }
    return limits.perKey() > 0 ? null : due;
  }

  /** Why the task {@code id} is held back at {@code now}, if a limit of this flow holds it. */
  synchronized Optional<String> heldBack(Writer.Tx tx, long id, long now) throws SQLException {
    if (queueStarts != null && !queueStarts.open(now)) {
      return Optional.of("rate limit of queue '" + queue + "': " + limits.rate()
          + ", next slot in " + in(queueStarts.nextOpenMicros(now) - now));
    }
    String k;
    PreparedStatement ps = tx.sql.get(keyOfTask);
    ps.setLong(1, id);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      k = rs.getString(1);
    }
    if (limits.perKey() > 0) {
      long n = running(tx).getOrDefault(k, 0L);
      if (n >= limits.perKey()) {
        return Optional.of("concurrency limit of key '" + k + "' in queue '" + queue + "': " + n
            + " of " + limits.perKey() + " running");
      }
    }
    StartWindow w = keyStarts.get(k);
    if (w != null && !w.open(now)) {
      return Optional.of("rate limit of key '" + k + "' in queue '" + queue + "': "
          + limits.perKeyRate() + ", next slot in " + in(w.nextOpenMicros(now) - now));
    }
    return Optional.empty();
  }

  private boolean blocked(String k, Map<String, Long> running, long now) {
    if (limits.perKey() > 0 && running.getOrDefault(k, 0L) >= limits.perKey()) {
      return true;
    }
    StartWindow w = keyStarts.get(k);
    if (w != null && w.empty(now)) {
      keyStarts.remove(k);
      return false;
    }
    return w != null && !w.open(now);
  }

  private Map<String, Long> running(Writer.Tx tx) throws SQLException {
    Map<String, Long> running = new HashMap<>();
    PreparedStatement ps = tx.sql.get(runningByKey);
    ps.setString(1, queue);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        running.put(rs.getString(1), rs.getLong(2));
      }
    }
    return running;
  }

  private String first(Writer.Tx tx) throws SQLException {
    PreparedStatement ps = tx.sql.get(firstKey);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private String next(Writer.Tx tx, String after) throws SQLException {
    PreparedStatement ps = tx.sql.get(nextKey);
    ps.setString(1, after);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** The queue's most urgent ready task, as a claim without a key takes it. */
  private Row takeAny(Writer.Tx tx, String node, long now) throws SQLException {
    PreparedStatement ps = tx.sql.get(ClaimStatements.CLAIM);
    ps.setLong(1, now);
    ps.setString(2, node);
    ps.setString(3, queue);
    ps.setLong(4, now);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Row.claimed(rs, queue, node, now) : null;
    }
  }

  private Row take(Writer.Tx tx, String k, String node, long now) throws SQLException {
    PreparedStatement ps = tx.sql.get(claim);
    ps.setLong(1, now);
    ps.setString(2, node);
    ps.setString(3, k);
    ps.setLong(4, now);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Row.claimed(rs, queue, node, now) : null;
    }
  }

  private static String in(long micros) {
    return StartWindow.waitText(micros);
  }
}
