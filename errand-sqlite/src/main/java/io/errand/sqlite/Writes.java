package io.errand.sqlite;

import io.errand.api.InvalidTaskException;
import io.errand.api.QueueFullException;
import io.errand.api.TaskStatus;
import io.errand.spi.GroupKind;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.StoreSignals;
import io.errand.spi.Transition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The store's changes, each run on the writer thread inside the batch's transaction
 * ({@link Writer.Tx}). Payloads arrive already encoded as JSON by the caller's thread. Every
 * change of a running task is fenced in its WHERE clause: {@code status = 'RUNNING' AND
 * attempt = ?}.
 *
 * <p>Each statement changes one row, so it says {@code OR FAIL}: on a constraint error there is
 * nothing of its own to undo, and SQLite then keeps no statement journal for it (with the
 * default {@code ABORT} it copies every page the statement touches first, in case).
 */
final class Writes {
  private static final String APPEND_ERROR =
      "json_insert(coalesce(errors, '[]'), '$[#]', json(?))";
  private static final String FENCE = " WHERE id = ? AND status = '" + TaskStatus.RUNNING
      + "' AND attempt = ?";
  // Every status this class writes comes from a Transition: checked against the table once.
  private static final Transition SUCCEED = Transition.end(new Outcome.Succeeded(null));
  private static final Transition FAIL = new Transition(TaskStatus.RUNNING, TaskStatus.FAILURE);
  private static final String RETURNING = " RETURNING " + Row.COLUMNS;
  private final StoreSignals signals;
  final InstantSource clock;
  /**
   * The rows this store claimed and has not ended, as claimed (the writer thread's alone): a
   * success then reads back only what others may have changed since ({@link
   * Row#RUNNING_CHANGES}). An entry left by a rolled-back batch is harmless: the statements are
   * fenced by attempt, and a new claim of the task replaces it.
   */
  private final Map<Long, Row> running = new HashMap<>();
  /**
   * The paused queues and since when (epoch micros), written on the writer thread by the op
   * that records the pause, so a claim queued after it sees it; read by any thread.
   */
  final Map<String, Long> paused = new java.util.concurrent.ConcurrentHashMap<>();

  /** The concurrency limits the engine declared, per queue (none: no limit). */
  final Map<String, Integer> limits = new java.util.concurrent.ConcurrentHashMap<>();

  /** The per-key and rate limits the engine declared, per queue (none: none). */
  final Map<String, SqliteFlow> flows = new java.util.concurrent.ConcurrentHashMap<>();

  Writes(StoreSignals signals, InstantSource clock, Map<String, Long> paused) {
    this.signals = signals;
    this.clock = clock;
    this.paused.putAll(paused);
  }

  /**
   * Records the pause of {@code queue} (or its end, with {@code at} null) unless it is so
   * already; answers whether it changed. A resume wakes the queue's idle workers once
   * acknowledged.
   */
  boolean setPaused(Writer.Tx tx, String queue, Long at) throws SQLException {
    if ((at != null) == paused.containsKey(queue)) {
      return false;
    }
    PreparedStatement ps = tx.sql.get("INSERT INTO queue_controls (queue, paused_at) VALUES "
        + "(?, ?) ON CONFLICT (queue) DO UPDATE SET paused_at = excluded.paused_at");
    ps.setString(1, queue);
    if (at == null) {
      ps.setNull(2, java.sql.Types.INTEGER);
    } else {
      ps.setLong(2, at);
    }
    ps.executeUpdate();
    if (at == null) {
      paused.remove(queue);
      tx.announce(() -> signals.workAvailable(queue));
    } else {
      paused.put(queue, at);
    }
    return true;
  }

  /** The answer of {@link #requestCancel}: the status before, and the row after. */
  record CancelOutcome(TaskStatus before, Row row) {}

  Inserted insert(Writer.Tx tx, NewTask t, String args) throws SQLException {
    if (t.key() != null) {
      Inserted held = UniqueKeys.resolve(tx, t, args);
      if (held instanceof Inserted.Updated) {
        String queue = t.queue();
        tx.announce(() -> signals.workAvailable(queue)); // a run time may have come nearer
      }
      if (held != null) {
        return held;
      }
    }
    if (tx.waiting(t.queue()) >= t.capacity()) {
      throw new QueueFullException(t.queue(), t.capacity());
    }
    long id = insertRow(tx, t, args, 0, false);
    tx.addWaiting(t.queue(), 1);
    String queue = t.queue();
    tx.announce(() -> signals.added(id, queue, t.key(), t.createdAt()));
    tx.announce(() -> signals.workAvailable(queue));
    return new Inserted.Created(id);
  }

  /** Inserts a group; returns the group id followed by the task ids. */
  long[] insertGroup(Writer.Tx tx, List<NewTask> tasks, List<String> args, GroupKind kind)
      throws SQLException {
    Map<String, Integer> perQueue = new TreeMap<>();
    for (NewTask t : tasks) {
      perQueue.merge(t.queue(), 1, Integer::sum);
    }
    for (NewTask t : tasks) {
      if (tx.waiting(t.queue()) + perQueue.get(t.queue()) > t.capacity()) {
        throw new QueueFullException(t.queue(), t.capacity());
      }
    }
    tx.sql.get("UPDATE counters SET value = value + 1 WHERE name = 'group'").executeUpdate();
    long group;
    try (ResultSet rs = tx.sql.get("SELECT value FROM counters WHERE name = 'group'")
        .executeQuery()) {
      rs.next();
      group = rs.getLong(1);
    }
    long[] out = new long[tasks.size() + 1];
    out[0] = group;
    Set<String> due = new LinkedHashSet<>();
    for (int i = 0; i < tasks.size(); i++) {
      NewTask t = tasks.get(i);
      boolean callback = kind.hasCallback() && i == tasks.size() - 1;
      boolean held = (kind == GroupKind.CHAIN && i > 0) || callback;
      out[i + 1] = insertRow(tx, t, args.get(i), callback ? 0 : group, held);
      long id = out[i + 1];
      tx.announce(() -> signals.added(id, t.queue(), null, t.createdAt()));
      if (callback) {
        linkCallback(tx, group, id, kind.callbackMark());
      } else if (held) {
        PreparedStatement link = tx.sql.get("UPDATE OR FAIL tasks SET next = ? WHERE id = ?");
        link.setLong(1, out[i + 1]);
        link.setLong(2, out[i]);
        link.executeUpdate();
      } else {
        due.add(t.queue());
      }
    }
    perQueue.forEach(tx::addWaiting);
    tx.announce(() -> due.forEach(signals::workAvailable));
    return out;
  }

  /** Names batch callback {@code id} as the next of each task of {@code group}. */
  private static void linkCallback(Writer.Tx tx, long group, long id, long mark)
      throws SQLException {
    PreparedStatement ps = tx.sql.get("UPDATE OR FAIL tasks SET next = ? WHERE grp = ?");
    ps.setLong(1, id);
    ps.setLong(2, group);
    ps.executeUpdate();
    ps = tx.sql.get("UPDATE OR FAIL tasks SET next = ? WHERE id = ?");
    ps.setLong(1, mark);
    ps.setLong(2, id);
    ps.executeUpdate();
  }

  private long insertRow(Writer.Tx tx, NewTask t, String args, long group, boolean held)
      throws SQLException {
    if (t.id() < 0) {
      throw new InvalidTaskException("task id must be positive, was " + t.id());
    }
    if (t.id() > 0) {
      PreparedStatement taken = tx.sql.get("SELECT 1 FROM tasks WHERE id = ?");
      taken.setLong(1, t.id());
      try (ResultSet rs = taken.executeQuery()) {
        if (rs.next()) {
          throw new InvalidTaskException("task id " + t.id() + " is already used; an id "
              + "generator must return a new positive id each time");
        }
      }
    }
    PreparedStatement ps = tx.sql.get("INSERT OR FAIL INTO tasks (id, queue, status, held, args, "
        + "created_at, run_at, key, priority, grp, ready) VALUES (?, ?, 'WAITING', ?, ?, ?, ?, ?, "
        + "?, ?, ?) RETURNING id");
    if (t.id() > 0) {
      ps.setLong(1, t.id());
    } else {
      ps.setNull(1, Types.INTEGER);
    }
    ps.setString(2, t.queue());
    ps.setInt(3, held ? 1 : 0);
    ps.setString(4, args);
    ps.setLong(5, Row.micros(t.createdAt()));
    ps.setLong(6, Row.micros(t.runAt()));
    ps.setString(7, t.key());
    ps.setInt(8, t.priority());
    ps.setLong(9, group);
    ps.setInt(10, t.runAt().isAfter(t.createdAt()) ? 0 : 1);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  Row claim(Writer.Tx tx, String queue, String node, long now) throws SQLException {
    if (tx.waiting(queue) <= 0 || paused.containsKey(queue)) {
      return null;
    }
    Integer limit = limits.get(queue);
    if (limit != null && running(tx, queue) >= limit) {
      return null; // the queue is full: this claim waits for a running task's end
    }
    PreparedStatement promote = tx.sql.get(ClaimStatements.PROMOTE);
    promote.setString(1, queue);
    promote.setLong(2, now);
    promote.executeUpdate();
    SqliteFlow flow = flows.get(queue);
    if (flow != null) {
      Row row = flow.claim(tx, node, now);
      if (row != null) {
        tx.addWaiting(queue, -1);
        running.put(row.id(), row);
      }
      return row;
    }
    PreparedStatement ps = tx.sql.get(ClaimStatements.CLAIM);
    ps.setLong(1, now);
    ps.setString(2, node);
    ps.setString(3, queue);
    ps.setLong(4, now);
    Row row;
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      row = Row.claimed(rs, queue, node, now);
    }
    tx.addWaiting(queue, -1);
    running.put(row.id(), row);
    return row;
  }

  /** The tasks of {@code queue} RUNNING now, as this transaction sees them. */
  private static long running(Writer.Tx tx, String queue) throws SQLException {
    PreparedStatement ps = tx.sql.get(Reads.RUNNING);
    ps.setString(1, queue);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  boolean progress(Writer.Tx tx, long id, int attempt, long current, long total, String message)
      throws SQLException {
    PreparedStatement ps = tx.sql.get("UPDATE OR FAIL tasks SET current = ?, total = ?, message = ?"
        + FENCE);
    ps.setLong(1, current);
    ps.setLong(2, total);
    ps.setString(3, message);
    ps.setLong(4, id);
    ps.setInt(5, attempt);
    return ps.executeUpdate() > 0;
  }

  Row succeed(Writer.Tx tx, long id, int attempt, String result, long at) throws SQLException {
    Row claimed = running.remove(id);
    boolean known = claimed != null && claimed.attempt() == attempt;
    PreparedStatement ps = tx.sql.get("UPDATE OR FAIL tasks SET status = '" + SUCCEED.to() + "', result = ?, "
        + "finished_at = ?, node = NULL" + FENCE + " RETURNING "
        + (known ? Row.RUNNING_CHANGES : Row.COLUMNS));
    ps.setString(1, result);
    ps.setLong(2, at);
    ps.setLong(3, id);
    ps.setInt(4, attempt);
    if (!known) {
      return one(ps);
    }
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? claimed.succeeded(rs, result, at) : null;
    }
  }

  Row fail(Writer.Tx tx, long id, int attempt, String error, String message, long at)
      throws SQLException {
    running.remove(id);
    PreparedStatement ps = tx.sql.get("UPDATE OR FAIL tasks SET status = '" + FAIL.to() + "', errors = "
        + APPEND_ERROR + ", message = ?, finished_at = ?, node = NULL" + FENCE + RETURNING);
    ps.setString(1, error);
    ps.setString(2, message);
    ps.setLong(3, at);
    ps.setLong(4, id);
    ps.setInt(5, attempt);
    return one(ps);
  }

  /** Ends a running attempt CANCELLED; one whose handler never {@code started} is not charged. */
  Row cancelled(Writer.Tx tx, long id, int attempt, String reason, String error,
      boolean started, long at) throws SQLException {
    running.remove(id);
    PreparedStatement ps = tx.sql.get("UPDATE OR FAIL tasks SET status = '"
        + Transition.CANCEL_RUNNING.to() + "', cancel_reason = ?, message = ?, errors = CASE WHEN ? IS NULL THEN errors ELSE "
        + APPEND_ERROR + " END, finished_at = ?, node = NULL, attempt = attempt - ?" + FENCE
        + RETURNING);
    ps.setString(1, reason);
    ps.setString(2, reason);
    ps.setString(3, error);
    ps.setString(4, error);
    ps.setLong(5, at);
    ps.setInt(6, started ? 0 : 1);
    ps.setLong(7, id);
    ps.setInt(8, attempt);
    return one(ps);
  }

  Row reschedule(Writer.Tx tx, long id, int attempt, String error, String message, long runAt)
      throws SQLException {
    running.remove(id);
    PreparedStatement find = tx.sql.get("SELECT queue, cancel_requested FROM tasks" + FENCE);
    find.setLong(1, id);
    find.setInt(2, attempt);
    String queue;
    boolean cancelRequested;
    try (ResultSet rs = find.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      queue = rs.getString(1);
      cancelRequested = rs.getInt(2) != 0;
    }
    String appendIfAny = "errors = CASE WHEN ? IS NULL THEN errors ELSE " + APPEND_ERROR + " END";
    if (cancelRequested) { // the cancel arrived while the attempt was ending: it wins
      PreparedStatement ps = tx.sql.get("UPDATE OR FAIL tasks SET status = '"
          + Transition.CANCEL_RUNNING.to() + "', message = cancel_reason, " + appendIfAny + ", finished_at = ?, node = NULL WHERE id = ?");
      ps.setString(1, error);
      ps.setString(2, error);
      ps.setLong(3, Row.micros(clock.instant()));
      ps.setLong(4, id);
      ps.executeUpdate();
      return row(tx.sql, id);
    }
    PreparedStatement ps = tx.sql.get("UPDATE OR FAIL tasks SET status = '"
        + Transition.REQUEUE.to() + "', attempt = attempt - ?, run_at = ?, ready = ?, node = NULL, message = coalesce(?, message), "
        + appendIfAny + " WHERE id = ?");
    ps.setInt(1, error == null ? 1 : 0); // a requeue at shutdown does not charge the attempt
    ps.setLong(2, runAt);
    ps.setInt(3, runAt <= Row.micros(clock.instant()) ? 1 : 0);
    ps.setString(4, message);
    ps.setString(5, error);
    ps.setString(6, error);
    ps.setLong(7, id);
    ps.executeUpdate();
    tx.addWaiting(queue, 1);
    tx.announce(() -> signals.workAvailable(queue));
    return row(tx.sql, id);
  }

  CancelOutcome requestCancel(Writer.Tx tx, long id, String reason, long at) throws SQLException {
    PreparedStatement find = tx.sql.get("SELECT status, cancel_requested, queue FROM tasks "
        + "WHERE id = ?");
    find.setLong(1, id);
    TaskStatus before;
    boolean requested;
    String queue;
    try (ResultSet rs = find.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      before = TaskStatus.valueOf(rs.getString(1));
      requested = rs.getInt(2) != 0;
      queue = rs.getString(3);
    }
    if (before == TaskStatus.WAITING) {
      PreparedStatement ps = tx.sql.get("UPDATE OR FAIL tasks SET status = '"
          + Transition.CANCEL_WAITING.to() + "', cancel_reason = ?, message = ?, "
          + "finished_at = ? WHERE id = ?");
      ps.setString(1, reason);
      ps.setString(2, reason);
      ps.setLong(3, at);
      ps.setLong(4, id);
      ps.executeUpdate();
      tx.addWaiting(queue, -1);
    } else if (before == TaskStatus.RUNNING) {
      if (!requested) {
        PreparedStatement ps = tx.sql.get("UPDATE OR FAIL tasks SET cancel_requested = 1, "
            + "cancel_reason = ? WHERE id = ?");
        ps.setString(1, reason);
        ps.setLong(2, id);
        ps.executeUpdate();
      }
      tx.signal(() -> signals.cancelRequested(id));
    }
    return new CancelOutcome(before, row(tx.sql, id));
  }

  void release(Writer.Tx tx, long id, String previousResult, long now) throws SQLException {
    PreparedStatement ps = tx.sql.get("UPDATE OR FAIL tasks SET held = 0, ready = 1, "
        + "previous_result = ?, run_at = ? WHERE id = ? AND status = 'WAITING' AND held = 1");
    ps.setString(1, previousResult);
    ps.setLong(2, now);
    ps.setLong(3, id);
    if (ps.executeUpdate() > 0) {
      String queue = row(tx.sql, id).queue();
      tx.announce(() -> signals.workAvailable(queue));
    }
  }

  int purge(Writer.Tx tx, String queue, long before, int limit) throws SQLException {
    PreparedStatement ps = tx.sql.get("DELETE FROM tasks WHERE id IN (SELECT id FROM tasks "
        + "WHERE queue = ? AND finished_at < ? ORDER BY finished_at LIMIT ?)");
    ps.setString(1, queue);
    ps.setLong(2, before);
    ps.setInt(3, limit);
    return ps.executeUpdate();
  }

  boolean delete(Writer.Tx tx, long id) throws SQLException {
    PreparedStatement ps = tx.sql.get("DELETE FROM tasks WHERE id = ? AND status IN "
        + "('SUCCESS', 'FAILURE', 'CANCELLED')");
    ps.setLong(1, id);
    return ps.executeUpdate() > 0;
  }

  void saveKey(Writer.Tx tx, String supervisor, String key, String args, boolean paused)
      throws SQLException {
    PreparedStatement ps = tx.sql.get("INSERT INTO keys (supervisor, key, args, paused) VALUES "
        + "(?, ?, ?, ?) ON CONFLICT (supervisor, key) DO UPDATE SET args = excluded.args, "
        + "paused = excluded.paused");
    ps.setString(1, supervisor);
    ps.setString(2, key);
    ps.setString(3, args);
    ps.setInt(4, paused ? 1 : 0);
    ps.executeUpdate();
  }

  void removeKey(Writer.Tx tx, String supervisor, String key) throws SQLException {
    PreparedStatement ps = tx.sql.get("DELETE FROM keys WHERE supervisor = ? AND key = ?");
    ps.setString(1, supervisor);
    ps.setString(2, key);
    ps.executeUpdate();
  }

  /** The row {@code ps} returns, if any. */
  private static Row one(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Row.read(rs) : null;
    }
  }

  static Row row(Statements sql, long id) throws SQLException {
    PreparedStatement ps = sql.get("SELECT " + Row.COLUMNS + " FROM tasks WHERE id = ?");
    ps.setLong(1, id);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Row.read(rs) : null;
    }
  }

  /** Every id of {@code ids}, for a group's answer. */
  static List<Long> tail(long[] ids) {
    List<Long> out = new ArrayList<>(ids.length - 1);
    for (int i = 1; i < ids.length; i++) {
      out.add(ids[i]);
    }
    return out;
  }
}
