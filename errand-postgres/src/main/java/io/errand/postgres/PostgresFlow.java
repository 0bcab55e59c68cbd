package io.errand.postgres;

import io.errand.api.ConcurrencyKey;
import io.errand.api.RateLimit;
import io.errand.jdbc.StoredTask;
import io.errand.spi.FlowLimits;
import io.errand.spi.StartWindow;
import io.errand.spi.Transition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One queue's per-key limits, fairness and rate limits in the PostgreSQL store, exact across
 * nodes. A claim of the queue locks its {@code queue_controls} row first, so the queue's claims
 * take turns on every node until their commits (the cost of exactness: one claim of a limited
 * queue at a time, cluster-wide); under that lock it reads what the limits need from tables
 * every node writes:
 * <ul>
 *   <li>the round-robin cursor, {@code queue_controls.key_cursor}: the key value of the last
 *       claim, so the turn is the cluster's, not each node's;</li>
 *   <li>the RUNNING tasks per key value, counted in the claim's transaction;</li>
 *   <li>the starts of the last period, {@code flow_starts} (one row per start, with its key
 *       value and time; rows older than the longest period are deleted by later claims): a
 *       sliding window, so a start is allowed when fewer than N starts fall in the period
 *       before it.</li>
 * </ul>
 * The key value is an SQL expression over the row ({@link #keyExpression}); an index of the
 * queue's ready tasks by key value, made when the limits are declared, makes the next key value
 * after the cursor and that key's most urgent task one probe each, whatever the backlog.
 * Priority orders tasks within one key value, not across them.
 */
final class PostgresFlow {
  /** How often a node's claims delete the starts that left every window. */
  private static final long PURGE_EVERY_NANOS = 1_000_000_000L;

  final FlowLimits limits;
  private final String queue;
  private final String lockRow;
  private final String saveCursor;
  private final String firstKey;
  private final String nextKey;
  private final String claim;
  private final String runningByKey;
  private final String runningOfKey;
  private final String keyOfTask;
  private final String index;
  private final String startsInWindow;
  private final String keyStartsInWindow;
  private final String nthQueueStart;
  private final String nthKeyStart;
  private final String earliestStart;
  private final String recordStart;
  private final String purge;
  private final String lastStart;
  private final Duration longest;
  private long purgedAt = System.nanoTime();

  PostgresFlow(String schema, String queue, FlowLimits limits) {
    this.queue = queue;
    this.limits = limits;
    String key = keyExpression(limits.key());
    String q = "'" + queue.replace("'", "''") + "'";
    String name = "tasks_flow_" + Integer.toHexString((queue + "\0" + key).hashCode());
    String ready = "queue = " + q + " AND status = 'WAITING' AND NOT held AND ready";
    this.index = Schema.qualify(schema, "CREATE INDEX IF NOT EXISTS " + name + " ON {s}.tasks "
        + "(queue, (" + key + "), priority DESC, run_at, id) WHERE " + ready);
    String from = " FROM {s}.tasks WHERE " + ready;
    this.lockRow = Schema.qualify(schema, "SELECT key_cursor, paused_at IS NOT NULL FROM "
        + "{s}.queue_controls WHERE queue = ? FOR UPDATE");
    this.saveCursor = Schema.qualify(schema, "UPDATE {s}.queue_controls SET key_cursor = ? "
        + "WHERE queue = ?");
    this.firstKey = Schema.qualify(schema, "SELECT " + key + from + " ORDER BY 1 LIMIT 1");
    this.nextKey = Schema.qualify(schema, "SELECT " + key + from + " AND " + key
        + " > ? ORDER BY 1 LIMIT 1");
    this.claim = Schema.qualify(schema, "WITH claimed AS (UPDATE {s}.tasks SET status = '"
        + Transition.CLAIM.to() + "', attempt = attempt + 1, started_at = ?, node = ?, owner = ?,"
        + " cancel_requested = false, cancel_reason = NULL WHERE ctid = ANY(ARRAY(SELECT ctid"
        + from + " AND " + key + " = ? AND run_at <= ? ORDER BY priority DESC, run_at, id "
        + "LIMIT 1 FOR UPDATE SKIP LOCKED)) RETURNING " + Row.COLUMNS + "), counted AS (INSERT "
        + "INTO {s}.waiting AS w (queue, slot, n) SELECT queue, " + WaitingCounts.SLOT
        + ", -count(*) FROM claimed GROUP BY queue" + WaitingCounts.ADD_ON_CONFLICT
        + ") SELECT * FROM claimed");
    this.runningByKey = Schema.qualify(schema, "SELECT " + key + ", count(*) FROM {s}.tasks "
        + "WHERE status = 'RUNNING' AND queue = ? GROUP BY 1");
    this.runningOfKey = Schema.qualify(schema, "SELECT count(*) FROM {s}.tasks WHERE status = "
        + "'RUNNING' AND queue = ? AND " + key + " = ?");
    this.keyOfTask = Schema.qualify(schema, "SELECT " + key + " FROM {s}.tasks WHERE id = ?");
    this.startsInWindow = Schema.qualify(schema, "SELECT count(*) FROM (SELECT 1 FROM "
        + "{s}.flow_starts WHERE queue = ? AND started_at > ? LIMIT ?) w");
    this.keyStartsInWindow = Schema.qualify(schema, "SELECT count(*) FROM (SELECT 1 FROM "
        + "{s}.flow_starts WHERE queue = ? AND fkey = ? AND started_at > ? LIMIT ?) w");
    this.nthQueueStart = Schema.qualify(schema, "SELECT started_at FROM {s}.flow_starts WHERE "
        + "queue = ? AND started_at > ? ORDER BY started_at DESC OFFSET ? LIMIT 1");
    this.nthKeyStart = Schema.qualify(schema, "SELECT started_at FROM {s}.flow_starts WHERE "
        + "queue = ? AND fkey = ? AND started_at > ? ORDER BY started_at DESC OFFSET ? LIMIT 1");
    this.earliestStart = Schema.qualify(schema, "SELECT min(started_at) FROM {s}.flow_starts "
        + "WHERE queue = ? AND started_at > ?");
    this.recordStart = Schema.qualify(schema, "INSERT INTO {s}.flow_starts (queue, fkey, "
        + "started_at) VALUES (?, ?, ?)");
    this.lastStart = Schema.qualify(schema, "SELECT max(started_at) FROM {s}.flow_starts "
        + "WHERE queue = ?");
    this.purge = Schema.qualify(schema, "DELETE FROM {s}.flow_starts WHERE queue = ? AND "
        + "started_at <= ?");
    Duration a = limits.rate() == null ? Duration.ZERO : limits.rate().period();
    Duration b = limits.perKeyRate() == null ? Duration.ZERO : limits.perKeyRate().period();
    this.longest = a.compareTo(b) >= 0 ? a : b;
  }

  /**
   * The key value of a row as SQL: the submit's key, or the text of an argument field (a
   * missing field or a JSON null gives '', shared by all such tasks).
   */
  static String keyExpression(ConcurrencyKey key) {
    if (key == null) {
      return "''::text";
    }
    return switch (key) {
      case ConcurrencyKey.SubmitKey s -> "coalesce(key, '')";
      case ConcurrencyKey.ArgsField f -> "coalesce(args::jsonb #>> '" + path(f.pointer())
          + "', '')";
    };
  }

  /** A JSON pointer as a PostgreSQL path array literal: /a/b is {"a","b"}. */
  static String path(String pointer) {
    StringBuilder p = new StringBuilder("{");
    String[] parts = pointer.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String name = parts[i].replace("~1", "/").replace("~0", "~");
      p.append(i == 0 ? "" : ",").append('"').append(name.replace("\\", "\\\\")
          .replace("\"", "\\\"").replace("'", "''")).append('"');
    }
    return p.append('}').toString();
  }

  /** The statement that makes this flow's index, or null when there is no key. */
  String index() {
    return limits.keyed() ? index : null;
  }

  /** Takes up to {@code max} plain claims of the queue's most urgent tasks. */
  interface PlainClaim {
    List<StoredTask> claim(int max, Instant now) throws SQLException;
  }

  /**
   * Claims up to {@code max} tasks by the turn over key values, in the claim's transaction
   * (never autocommit: the row lock must last until the claim commits), after the due tasks
   * were marked ready.
   */
  List<StoredTask> claim(Tx tx, String node, long owner, Instant given, int max,
      PlainClaim plain) throws SQLException {
    Instant now = given;
    String cursor;
    try (PreparedStatement ps = tx.prepare(lockRow)) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getBoolean(2)) {
          return List.of(); // paused (or no row: declared by no node of this schema yet)
        }
        cursor = rs.getString(1);
      }
    }
    if (limits.rate() != null || limits.perKeyRate() != null) {
      now = notBeforeLastStart(tx, now);
    }
    purgeNowAndThen(tx, now);
    if (limits.rate() != null) {
      max = (int) Math.min(max, limits.rate().starts() - queueStarts(tx, now));
      if (max <= 0) {
        return List.of();
      }
    }
    if (!limits.keyed()) {
      List<StoredTask> rows = plain.claim(max, now);
      for (StoredTask row : rows) {
        recordStart(tx, "", now);
      }
      return rows;
    }
    Map<String, Long> running = limits.perKey() > 0 ? runningByKey(tx) : new HashMap<>();
    List<StoredTask> claimed = new ArrayList<>();
    while (claimed.size() < max) { // rounds: one task per key value and round
      int before = claimed.size();
      Set<String> seen = new HashSet<>();
      String k = cursor == null ? first(tx) : next(tx, cursor);
      boolean wrapped = cursor == null;
      while (claimed.size() < max) {
        if (k == null) {
          if (wrapped) {
            break;
          }
          wrapped = true;
          k = first(tx);
          continue;
        }
        if (!seen.add(k)) {
          break; // every key value with ready tasks was looked at this round
        }
        if (!blocked(tx, k, running, now)) {
          StoredTask row = take(tx, k, node, owner, now);
          if (row != null) {
            claimed.add(row);
            running.merge(k, 1L, Long::sum);
            recordStart(tx, k, now);
            cursor = k;
          }
        }
        k = next(tx, k);
      }
      if (claimed.size() == before) {
        break;
      }
    }
    if (!claimed.isEmpty()) {
      try (PreparedStatement ps = tx.prepare(saveCursor)) {
        ps.setString(1, cursor);
        ps.setString(2, queue);
        ps.executeUpdate();
      }
    }
    return claimed;
  }

  /**
   * When a due task may start next: {@code due} when nothing holds it (or it is not due yet
   * and no rate holds the queue past it), the next slot of a rate that holds due tasks, or
   * null when only an end makes room.
   */
  Instant nextDue(Tx tx, Instant due, Instant now) throws SQLException {
    if (due.isAfter(now)) {
      return limits.rate() == null ? due : later(due, queueOpensAt(tx, now));
    }
    if (limits.rate() != null) {
      Instant open = queueOpensAt(tx, now);
      if (open.isAfter(now)) {
        return open;
      }
    }
    if (limits.perKeyRate() != null) {
      try (PreparedStatement ps = tx.prepare(earliestStart)) {
        ps.setString(1, queue);
        ps.setObject(2, Row.timestamp(now.minus(limits.perKeyRate().period())));
        try (ResultSet rs = ps.executeQuery()) {
          OffsetDateTime first = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
          if (first != null) {
            return first.toInstant().plus(limits.perKeyRate().period());
          }
        }
      }
    }
    return limits.perKey() > 0 ? null : due;
  }

  /** Why task {@code id} is held back at {@code now}, if a limit of this flow holds it. */
  Optional<String> heldBack(Tx tx, long id, Instant now) throws SQLException {
    if (limits.rate() != null) {
      Instant open = queueOpensAt(tx, now);
      if (open.isAfter(now)) {
        return Optional.of("rate limit of queue '" + queue + "': " + limits.rate()
            + ", next slot in " + wait(now, open));
      }
    }
    if (!limits.keyed()) {
      return Optional.empty();
    }
    String k;
    try (PreparedStatement ps = tx.prepare(keyOfTask)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        k = rs.getString(1);
      }
    }
    if (limits.perKey() > 0) {
      long n;
      try (PreparedStatement ps = tx.prepare(runningOfKey)) {
        ps.setString(1, queue);
        ps.setString(2, k);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          n = rs.getLong(1);
        }
      }
      if (n >= limits.perKey()) {
        return Optional.of("concurrency limit of key '" + k + "' in queue '" + queue + "': "
            + n + " of " + limits.perKey() + " running");
      }
    }
    if (limits.perKeyRate() != null) {
      Instant open = keyOpensAt(tx, k, now);
      if (open.isAfter(now)) {
        return Optional.of("rate limit of key '" + k + "' in queue '" + queue + "': "
            + limits.perKeyRate() + ", next slot in " + wait(now, open));
      }
    }
    return Optional.empty();
  }

  private boolean blocked(Tx tx, String k, Map<String, Long> running, Instant now)
      throws SQLException {
    if (limits.perKey() > 0 && running.getOrDefault(k, 0L) >= limits.perKey()) {
      return true;
    }
    RateLimit r = limits.perKeyRate();
    if (r == null) {
      return false;
    }
    try (PreparedStatement ps = tx.prepare(keyStartsInWindow)) {
      ps.setString(1, queue);
      ps.setString(2, k);
      ps.setObject(3, Row.timestamp(now.minus(r.period())));
      ps.setInt(4, r.starts());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) >= r.starts();
      }
    }
  }

  private long queueStarts(Tx tx, Instant now) throws SQLException {
    RateLimit r = limits.rate();
    try (PreparedStatement ps = tx.prepare(startsInWindow)) {
      ps.setString(1, queue);
      ps.setObject(2, Row.timestamp(now.minus(r.period())));
      ps.setInt(3, r.starts());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** When the queue's rate allows a start again: {@code now} if it does now. */
  private Instant queueOpensAt(Tx tx, Instant now) throws SQLException {
    RateLimit r = limits.rate();
    try (PreparedStatement ps = tx.prepare(nthQueueStart)) {
      ps.setString(1, queue);
      ps.setObject(2, Row.timestamp(now.minus(r.period())));
      ps.setInt(3, r.starts() - 1);
      return opensAt(ps, r, now);
    }
  }

  private Instant keyOpensAt(Tx tx, String k, Instant now) throws SQLException {
    RateLimit r = limits.perKeyRate();
    try (PreparedStatement ps = tx.prepare(nthKeyStart)) {
      ps.setString(1, queue);
      ps.setString(2, k);
      ps.setObject(3, Row.timestamp(now.minus(r.period())));
      ps.setInt(4, r.starts() - 1);
      return opensAt(ps, r, now);
    }
  }

  /** The N-th latest start in the window plus the period, or {@code now}: fewer than N. */
  private static Instant opensAt(PreparedStatement ps, RateLimit r, Instant now)
      throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant().plus(r.period()) : now;
    }
  }

  private void recordStart(Tx tx, String k, Instant now) throws SQLException {
    if (limits.rate() == null && limits.perKeyRate() == null) {
      return;
    }
    try (PreparedStatement ps = tx.prepare(recordStart)) {
      ps.setString(1, queue);
      ps.setString(2, k);
      ps.setObject(3, Row.timestamp(now));
      ps.executeUpdate();
    }
  }

  /**
   * {@code now}, or the queue's last recorded start if that is later: claimers read their
   * clock before they wait for the queue's row, so their times may come out of order, and a
   * rate's window must see starts in order to be exact (started_at then says the same).
   */
  private Instant notBeforeLastStart(Tx tx, Instant now) throws SQLException {
    try (PreparedStatement ps = tx.prepare(lastStart)) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        OffsetDateTime last = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
        return last != null && last.toInstant().isAfter(now) ? last.toInstant() : now;
      }
    }
  }

  private void purgeNowAndThen(Tx tx, Instant now) throws SQLException {
    if (longest.isZero() || System.nanoTime() - purgedAt < PURGE_EVERY_NANOS) {
      return;
    }
    purgedAt = System.nanoTime();
    try (PreparedStatement ps = tx.prepare(purge)) {
      ps.setString(1, queue);
      ps.setObject(2, Row.timestamp(now.minus(longest)));
      ps.executeUpdate();
    }
  }

  private Map<String, Long> runningByKey(Tx tx) throws SQLException {
    Map<String, Long> running = new HashMap<>();
    try (PreparedStatement ps = tx.prepare(runningByKey)) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          running.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return running;
  }

  private String first(Tx tx) throws SQLException {
    try (PreparedStatement ps = tx.prepare(firstKey); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private String next(Tx tx, String after) throws SQLException {
    try (PreparedStatement ps = tx.prepare(nextKey)) {
      ps.setString(1, after);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private StoredTask take(Tx tx, String k, String node, long owner, Instant now)
      throws SQLException {
    try (PreparedStatement ps = tx.prepare(claim)) {
      ps.setObject(1, Row.timestamp(now));
      ps.setString(2, node);
      ps.setLong(3, owner);
      ps.setString(4, k);
      ps.setObject(5, Row.timestamp(now));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Row.read(rs) : null;
      }
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static String wait(Instant now, Instant open) {
    return StartWindow.waitText(Duration.between(now, open).toNanos() / 1000);
  }
}
