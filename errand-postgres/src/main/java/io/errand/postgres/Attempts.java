package io.errand.postgres;

import io.errand.api.TaskStatus;
import io.errand.jdbc.EncodedEnd;
import io.errand.jdbc.StoredTask;
import io.errand.spi.Outcome;
import io.errand.spi.Transition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Claims and the changes of running attempts. A claim takes the most urgent due task with
 * {@code FOR UPDATE SKIP LOCKED}, so claimers on any nodes never wait for each other and never
 * take one task twice. Every change of a running task is fenced in its WHERE clause by
 * {@code status = 'RUNNING' AND attempt = ?}: a late or abandoned worker (or a node presumed
 * dead whose task was rescued) changes nothing.
 */
final class Attempts {
  private static final String FENCE = " WHERE id = ? AND status = 'RUNNING' AND attempt = ?";
  /**
   * Marks ready the delayed tasks of a queue that have become due ({@link Schema}): a range of
   * {@code tasks_due}, so it costs the tasks it marks, not the ones still delayed. Rows another
   * transaction holds are skipped, never waited for: that one is marking or changing them.
   * The rows go through an array of their {@code ctid}s, not {@code IN (subquery)} nor ids:
   * with ids, a plan made while the table looked small (as after its creation, until autovacuum
   * analyzes it) finds them by a scan of the whole table, once per claim (measured:
   * docs/postgres.md 3.8); a {@code ctid} is found without an index or statistics. A row
   * locked here cannot move before the update, since the lock is held; if it was changed by a
   * transaction that committed after this statement's snapshot, the update does not see it and
   * leaves it as it is, for the next marking or claim.
   */
  static final String PROMOTE = "UPDATE {s}.tasks SET ready = true WHERE ctid = ANY(ARRAY(SELECT "
      + "ctid FROM {s}.tasks WHERE queue = ? AND status = 'WAITING' AND NOT held AND NOT ready AND "
      + "run_at <= ? FOR UPDATE SKIP LOCKED))";
  /**
   * {@link #PROMOTE}, answering when the next delayed task of the queue becomes due (null: none
   * waits): until then, and until a signal says the queue's tasks changed ({@link DueMarks}),
   * claims need not mark. The read sees the table as before the marking, hence {@code run_at
   * > ?}: the rows it marks are not the next ones. The {@code min} is a subquery of its own:
   * PostgreSQL reads a min from the index's first entry only in a query without a WITH.
   */
  static final String PROMOTE_NEXT = "WITH marked AS (" + PROMOTE + " RETURNING id) SELECT "
      + "(SELECT min(run_at) FROM {s}.tasks WHERE queue = ? AND status = 'WAITING' AND NOT held "
      + "AND NOT ready AND run_at > ?)";
  /**
   * The claim's condition that the task's queue is not paused ({@link PostgresControls}): a
   * pause committed before the claim's statement began stops it on every node. Correlated on
   * the task's queue rather than given as a parameter, so the claim keeps its parameters; the
   * planner derives {@code queue = ?} for it from the claim's own condition, one probe of the
   * primary key.
   */
  static final String NOT_PAUSED = "NOT EXISTS (SELECT 1 FROM {s}.queue_controls c WHERE "
      + "c.queue = tasks.queue AND c.paused_at IS NOT NULL)";
  /**
   * Takes up to {@code LIMIT ?} of the most urgent ready tasks of a queue ({@code tasks_claim})
   * of a queue that is not paused and takes them off the queue's waiting count, in one statement; answers them in claim
   * order. {@code run_at <= ?} stays for a clock that went back since a task was marked. The
   * rows go through an array of {@code ctid}s for the reason {@link #PROMOTE} gives (a claim may
   * then come back short, never wrong).
   */
  static final String CLAIM = "WITH claimed AS (UPDATE {s}.tasks SET status = '"
      + Transition.CLAIM.to() + "', attempt = attempt + 1, started_at = ?, node = ?, owner = ?, cancel_requested = false, "
      + "cancel_reason = NULL WHERE ctid = ANY(ARRAY(SELECT ctid FROM {s}.tasks WHERE queue = ? AND status = '"
      + Transition.CLAIM.from() + "' AND NOT held AND ready AND run_at <= ? AND " + NOT_PAUSED
      + " ORDER BY priority DESC, run_at, id "
      + "LIMIT ? FOR UPDATE SKIP LOCKED)) RETURNING " + Row.COLUMNS + "), counted AS (INSERT INTO "
      + "{s}.waiting AS w (queue, slot, n) SELECT queue, " + WaitingCounts.SLOT + ", -count(*) FROM "
      + "claimed GROUP BY queue" + WaitingCounts.ADD_ON_CONFLICT + ") SELECT * FROM claimed "
      + "ORDER BY priority DESC, run_at, id";

  private final String promote;
  private final String claim;
  private final String lockControls;
  private final String running;
  /** The concurrency limits this node's engine declared, per queue. */
  private final java.util.Map<String, Integer> limits = new java.util.concurrent.ConcurrentHashMap<>();
  /** The per-key and rate limits this node's engine declared, per queue. */
  private final java.util.Map<String, PostgresFlow> flows =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final String progress;
  private final String succeed;
  private final String fail;
  private final String cancelled;
  private final String lockRunning;
  private final String cancelInstead;
  private final String requeue;
  private final Signalling signalling;
  private final WaitingCounts counts;
  private final InstantSource clock;
  private final DueMarks marks;

  Attempts(String schema, Signalling signalling, WaitingCounts counts, InstantSource clock,
      DueMarks marks) {
    this.signalling = signalling;
    this.counts = counts;
    this.clock = clock;
    this.marks = marks;
    String returning = " RETURNING " + Row.COLUMNS;
    promote = Schema.qualify(schema, PROMOTE_NEXT);
    claim = Schema.qualify(schema, CLAIM);
    lockControls = Schema.qualify(schema, "SELECT 1 FROM {s}.queue_controls WHERE queue = ? "
        + "FOR UPDATE");
    running = Schema.qualify(schema, RUNNING);
    progress = Schema.qualify(schema, "UPDATE {s}.tasks SET current = ?, total = ?, "
        + "message = ?" + FENCE);
    succeed = Schema.qualify(schema, "UPDATE {s}.tasks SET status = '"
        + new Transition(TaskStatus.RUNNING, TaskStatus.SUCCESS).to() + "', result = ?, "
        + "finished_at = ?, node = NULL, owner = NULL" + FENCE + returning);
    fail = Schema.qualify(schema, "UPDATE {s}.tasks SET status = '"
        + new Transition(TaskStatus.RUNNING, TaskStatus.FAILURE).to() + "', " + Errors.APPEND
        + ", message = ?, finished_at = ?, node = NULL, owner = NULL" + FENCE + returning);
    cancelled = Schema.qualify(schema, "UPDATE {s}.tasks SET status = '"
        + Transition.CANCEL_RUNNING.to() + "', cancel_reason = ?, message = ?, " + Errors.APPEND + ", finished_at = ?, node = NULL, "
        + "owner = NULL, attempt = attempt - ?" + FENCE + returning);
    lockRunning = Schema.qualify(schema, "SELECT queue, cancel_requested FROM {s}.tasks"
        + FENCE + " FOR UPDATE");
    cancelInstead = Schema.qualify(schema, "UPDATE {s}.tasks SET status = '"
        + Transition.CANCEL_RUNNING.to() + "', message = cancel_reason, " + Errors.APPEND + ", finished_at = ?, node = NULL, "
        + "owner = NULL WHERE id = ?" + returning);
    requeue = Schema.qualify(schema, "UPDATE {s}.tasks SET status = '"
        + Transition.REQUEUE.to() + "', attempt = attempt - ?, run_at = ?, ready = ?, node = NULL, owner = NULL, message = "
        + "coalesce(?, message), " + Errors.APPEND + " WHERE id = ?" + returning);
  }

  /**
   * How many tasks of a queue run, on any node: for a queue with a concurrency limit. The
   * partial index {@code tasks_running} holds only running tasks, so it costs those.
   */
  static final String RUNNING = "SELECT count(*) FROM {s}.tasks WHERE status = 'RUNNING' AND "
      + "queue = ?";

  /** Caps the running tasks of {@code queue} at {@code limit} for this node's claims. */
  void limit(String queue, int limit) {
    limits.put(queue, limit);
  }

  /** Claims {@code queue} by {@code flow}'s key turn and limits from now on. */
  void flow(String queue, PostgresFlow flow) {
    flows.put(queue, flow);
  }

  /** The per-key and rate limits of {@code queue} declared here, or null. */
  PostgresFlow flowOf(String queue) {
    return flows.get(queue);
  }

  /** The concurrency limit of {@code queue} declared here, or null. */
  Integer limitOf(String queue) {
    return limits.get(queue);
  }

  /** How many tasks of {@code queue} run now, on any node. */
  long running(Tx tx, String queue) throws SQLException {
    try (PreparedStatement ps = tx.prepare(running)) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Claims the most urgent due task of {@code queue}, as {@link #claim(Tx, String, String, Instant, int)}. */
  StoredTask claim(Tx tx, String queue, String node, Instant now) throws SQLException {
    List<StoredTask> one = claim(tx, queue, node, now, 1);
    return one.isEmpty() ? null : one.get(0);
  }

  /**
   * Claims up to {@code max} of the most urgent due tasks of {@code queue}, in claim order.
   * Delayed tasks that have become due are marked ready first, but only when one may have
   * ({@link DueMarks}): a queue without delayed tasks claims with one statement. In
   * autocommit, the marking commits on its own: it is right whether or not a claim follows.
   */
  List<StoredTask> claim(Tx tx, String queue, String node, Instant now, int max)
      throws SQLException {
    Integer limit = limits.get(queue);
    if (limit != null) {
      max = room(tx, queue, limit, max);
      if (max == 0) {
        return List.of();
      }
    }
    long epoch = marks.epoch(queue);
    if (marks.markingNeeded(queue, epoch, now)) {
      try (PreparedStatement ps = tx.prepare(promote)) {
        ps.setString(1, queue);
        ps.setObject(2, Row.timestamp(now));
        ps.setString(3, queue);
        ps.setObject(4, Row.timestamp(now));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          OffsetDateTime next = rs.getObject(1, OffsetDateTime.class);
          marks.marked(queue, epoch, next == null ? null : next.toInstant());
        }
      }
    }
    PostgresFlow flow = flows.get(queue);
    if (flow != null) {
      return flow.claim(tx, node, signalling.self(), now, max,
          (n, at) -> plainClaim(tx, queue, node, at, n));
    }
    return plainClaim(tx, queue, node, now, max);
  }

  /** Takes up to {@code max} of the queue's most urgent ready tasks, in claim order. */
  private List<StoredTask> plainClaim(Tx tx, String queue, String node, Instant now, int max)
      throws SQLException {
    try (PreparedStatement ps = tx.prepare(claim)) {
      ps.setObject(1, Row.timestamp(now));
      ps.setString(2, node);
      ps.setLong(3, signalling.self());
      ps.setString(4, queue);
      ps.setObject(5, Row.timestamp(now));
      ps.setInt(6, max);
      List<StoredTask> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(Row.read(rs));
        }
      }
      return rows;
    }
  }

  /**
   * How many tasks a claim of a queue limited to {@code limit} may take, at most {@code max}:
   * the queue's control row is locked first (so claims of the queue on every node take turns
   * until their commits), then its running tasks are counted. Runs in the claim's transaction
   * (never autocommit: the lock must last until the claim commits).
   */
  private int room(Tx tx, String queue, int limit, int max) throws SQLException {
    try (PreparedStatement ps = tx.prepare(lockControls)) {
      ps.setString(1, queue);
      ps.executeQuery().close();
    }
    return (int) Math.max(0, Math.min(max, limit - running(tx, queue)));
  }

  boolean progress(Tx tx, long id, int attempt, long current, long total, String message)
      throws SQLException {
    try (PreparedStatement ps = tx.prepare(progress)) {
      ps.setLong(1, current);
      ps.setLong(2, total);
      ps.setString(3, message);
      ps.setLong(4, id);
      ps.setInt(5, attempt);
      return ps.executeUpdate() > 0;
    }
  }

  /** Ends the attempt as {@code end} says; null if fenced out. */
  StoredTask finish(Tx tx, long id, int attempt, EncodedEnd end, Instant at) throws SQLException {
    return switch (end.outcome()) {
      case Outcome.Succeeded s -> {
        try (PreparedStatement ps = tx.prepare(succeed)) {
          ps.setString(1, end.result());
          ps.setObject(2, Row.timestamp(at));
          ps.setLong(3, id);
          ps.setInt(4, attempt);
          yield Row.one(ps);
        }
      }
      case Outcome.Failed f -> fail(tx, id, attempt, end.error(), end.message(), at);
      case Outcome.Cancelled c -> {
        try (PreparedStatement ps = tx.prepare(cancelled)) {
          ps.setString(1, c.reason());
          ps.setString(2, c.reason());
          int i = appendError(ps, 3, end.error());
          ps.setObject(i++, Row.timestamp(at));
          ps.setInt(i++, c.started() ? 0 : 1); // a handler that never began is not charged
          ps.setLong(i++, id);
          ps.setInt(i, attempt);
          yield Row.one(ps);
        }
      }
    };
  }

  StoredTask fail(Tx tx, long id, int attempt, String error, String message, Instant at)
      throws SQLException {
    try (PreparedStatement ps = tx.prepare(fail)) {
      int i = appendError(ps, 1, error);
      ps.setString(i++, message);
      ps.setObject(i++, Row.timestamp(at));
      ps.setLong(i++, id);
      ps.setInt(i, attempt);
      return Row.one(ps);
    }
  }

  /**
   * Puts a running attempt back to WAITING (a retry with {@code error}, or a requeue without,
   * which does not charge the attempt), or CANCELLED if a cancel was requested meanwhile.
   */
  StoredTask reschedule(Tx tx, long id, int attempt, String error, String message, Instant runAt)
      throws SQLException {
    String queue;
    boolean cancelRequested;
    try (PreparedStatement ps = tx.prepare(lockRunning)) {
      ps.setLong(1, id);
      ps.setInt(2, attempt);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        queue = rs.getString(1);
        cancelRequested = rs.getBoolean(2);
      }
    }
    if (cancelRequested) { // the cancel arrived while the attempt was ending: it wins
      try (PreparedStatement ps = tx.prepare(cancelInstead)) {
        int i = appendError(ps, 1, error);
        ps.setObject(i++, Row.timestamp(clock.instant()));
        ps.setLong(i, id);
        return Row.one(ps);
      }
    }
    try (PreparedStatement ps = tx.prepare(requeue)) {
      ps.setInt(1, error == null ? 1 : 0);
      ps.setObject(2, Row.timestamp(runAt));
      ps.setBoolean(3, !runAt.isAfter(clock.instant()));
      ps.setString(4, message);
      int i = appendError(ps, 5, error);
      ps.setLong(i, id);
      StoredTask row = Row.one(ps);
      counts.add(tx, queue, 1);
      signalling.work(tx, queue);
      return row;
    }
  }

  /** Sets {@link Errors#APPEND}'s three parameters from {@code index}; the next index. */
  private static int appendError(PreparedStatement ps, int index, String error)
      throws SQLException {
    ps.setString(index, error);
    ps.setString(index + 1, error);
    ps.setString(index + 2, error);
    return index + 3;
  }
}
