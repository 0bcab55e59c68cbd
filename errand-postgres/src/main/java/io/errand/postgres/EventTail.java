package io.errand.postgres;

import io.errand.api.EventType;
import io.errand.api.TaskEvent;
import io.errand.api.TaskStatus;
import io.errand.jdbc.StoreThreads;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a node that reads the cluster's event log ({@link EventLogSchema}) and hands
 * every event, in number order, to the engine. Woken by the {@code <schema>_events}
 * notification (and by the sweep when notifications do not arrive); it reads nothing while
 * nothing happens, so an idle node costs no transaction.
 *
 * <p><b>Why not just "events after the last number seen".</b> Numbers are taken in one order
 * and committed in another: a reader that saw 10 may later see 9 commit. So the tail delivers
 * only up to a number known to be final: each round reads a <em>fence</em> (the last number
 * taken, then a transaction id taken after it: {@code event_fence()}); the numbers up to a
 * fence are final once a later snapshot's {@code xmin} is above the fence's id (every
 * transaction that could still write one of them has ended). So an event is delivered by the
 * round after the one that saw it taken. While a fence waits, the
 * tail reads again every {@link #PENDING_NANOS}. The order is the numbers' order, the same on
 * every node; a task's events are numbered in the order of its changes, since each change
 * begins after the one before committed.
 *
 * <p><b>Who tells whom.</b> The transactions that write events send no {@code NOTIFY}: that
 * would take PostgreSQL's one notification lock through their WAL flush and put every node's
 * commits in one line (docs/postgres.md 4.1). The node that committed them calls
 * {@link #announce} instead, and this tail's next fence statement notifies the other nodes'
 * tails on {@code <schema>_events}, with this node's id, if numbers were taken since its last
 * notice: one notification per round at most, in a transaction that flushes nothing. Other
 * writers (a caller's own transaction) are covered by the work notification that rides their
 * commit, and whatever else by the sweep, which wakes the tail when the log's last number is
 * past what it delivered ({@link #behind}).
 */
final class EventTail implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventTail.class);
  private static final int PAGE = 1000;
  /** How soon to read again while a fence waits for running transactions to end. */
  static final long PENDING_NANOS = 10_000_000L;
  /** The least time between two rounds: notifications of a busy cluster come in floods. */
  private static final long GAP_NANOS = 5_000_000L;
  private static final long MAX_BACKOFF_NANOS = 5_000_000_000L;
  private static final int MAX_FENCES = 64;
  private static final long TRIM_EVERY_NANOS = 60_000_000_000L;
  private static final int TRIM_BATCH = 10_000;
  static final String COLUMNS = "seq, type, task, queue, status, attempt, current, total, "
      + "message, at, key";

  private final Database db;
  private final Consumer<TaskEvent> sink;
  private final Duration retention;
  private final String fence;
  /** The fence that also notifies the other nodes if numbers were taken since {@code ?}. */
  private final String fenceAndNotify;
  private final String self;
  private final String read;
  private final String trim;
  /** Fences not yet final, oldest first: {last number, fence's id}. The tail thread's alone. */
  private final ArrayDeque<long[]> fences = new ArrayDeque<>();
  private final Thread thread;
  /** The highest number known final: delivered up to it. */
  private volatile long delivered;
  private volatile boolean woken;
  /** This node committed events since the last round: the next one tells the other nodes. */
  private volatile boolean announcing;
  /** The last number taken as of the last notice this tail sent. The tail thread's alone. */
  private long announced;
  private volatile boolean closed;
  private long lastTrim = System.nanoTime();
  private boolean deliveredSinceTrim;

  /**
   * Starts tailing after the events already taken (those are before this node).
   *
   * @throws io.errand.api.ErrandException if the database cannot be read
   */
  EventTail(Database db, String schema, long self, Consumer<TaskEvent> sink,
      Duration retention, String threadName) {
    this.db = db;
    this.sink = sink;
    this.retention = retention;
    this.self = Long.toString(self);
    this.fence = Schema.qualify(schema, "SELECT last_seq, fence, xmin FROM {s}.event_fence()");
    this.fenceAndNotify = Schema.qualify(schema, "SELECT last_seq, fence, xmin, CASE WHEN "
        + "last_seq > ? THEN pg_notify('{s}_events', ?) END FROM {s}.event_fence()");
    this.read = Schema.qualify(schema, "SELECT " + COLUMNS + " FROM {s}.events WHERE seq > ? "
        + "AND seq <= ? ORDER BY seq LIMIT ?");
    this.trim = Schema.qualify(schema, "DELETE FROM {s}.events WHERE seq = ANY(ARRAY(SELECT seq "
        + "FROM {s}.events ORDER BY seq LIMIT " + TRIM_BATCH + ")) AND at < ?");
    long[] start = db.autocommit(this::readFence);
    // Numbers up to start[0] are before this node; those still uncommitted are not waited for.
    this.delivered = start[0];
    this.announced = start[0];
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::loop);
  }

  /** The highest event number delivered here: every event up to it is final. */
  long delivered() {
    return delivered;
  }

  /**
   * This node committed a change that may have logged events: read soon, and tell the other
   * nodes (they hear of it from nothing else).
   */
  void announce() {
    announcing = true;
    wake();
  }

  /**
   * The sweep read {@code lastSeq}, the last number taken: wakes the tail if it delivered less
   * (events nobody announced; normally there are none).
   */
  void behind(long lastSeq) {
    if (lastSeq > delivered) {
      wake();
    }
  }

  /** New events may have been logged: read soon. */
  void wake() {
    woken = true;
    LockSupport.unpark(thread);
  }

  private void loop() {
    long backoff = 100_000_000L;
    boolean failing = false;
    while (!closed) {
      long began = System.nanoTime();
      boolean pending;
      try {
        woken = false;
        pending = db.autocommit(this::round);
        if (failing) {
          log.info("the event tail of {} reads again", db.where);
          failing = false;
        }
        backoff = 100_000_000L;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        if (!failing) {
          log.warn("the event tail of {} cannot read the event log ({}); trying again",
              db.where, e.getMessage());
          failing = true;
        }
        LockSupport.parkNanos(this, backoff);
        backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
        continue;
      }
      long gap = GAP_NANOS - (System.nanoTime() - began);
      if (gap > 0) {
        LockSupport.parkNanos(this, gap);
      }
      if (pending) {
        if (!woken) {
          LockSupport.parkNanos(this, PENDING_NANOS);
        }
      } else {
        while (!woken && !closed) {
          LockSupport.park(this);
        }
      }
    }
  }

  /** Reads a fence, delivers what became final; true while a fence is left waiting. */
  private boolean round(Tx tx) throws SQLException {
    long[] f;
    if (announcing) {
      announcing = false;
      try {
        f = readFenceAndNotify(tx);
      } catch (SQLException e) {
        announcing = true; // not sent: the next round tries again
        throw e;
      }
      announced = Math.max(announced, f[0]);
    } else {
      f = readFence(tx);
    }
    long last = f[0];
    long fenceId = f[1];
    long xmin = f[2];
    long safe = delivered;
    while (!fences.isEmpty() && fences.peekFirst()[1] < xmin) {
      safe = Math.max(safe, fences.pollFirst()[0]);
    }
    if (last > safe && (fences.isEmpty() || fences.peekLast()[0] < last)) {
      if (fences.size() == MAX_FENCES) {
        fences.pollLast(); // a later fence covers it, at the price of waiting a little longer
      }
      fences.addLast(new long[] {last, fenceId});
    }
    while (safe > delivered) {
      long upTo = deliver(tx, delivered, safe);
      delivered = upTo;
    }
    trimNow(tx);
    return !fences.isEmpty();
  }

  private long[] readFence(Tx tx) throws SQLException {
    try (PreparedStatement ps = tx.prepare(fence); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    }
  }

  private long[] readFenceAndNotify(Tx tx) throws SQLException {
    try (PreparedStatement ps = tx.prepare(fenceAndNotify)) {
      ps.setLong(1, announced);
      ps.setString(2, self);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
      }
    }
  }

  /** Hands on the events after {@code after}, up to {@code safe}; answers the number reached. */
  private long deliver(Tx tx, long after, long safe) throws SQLException {
    List<TaskEvent> page = read(tx, read, after, safe, PAGE);
    for (TaskEvent e : page) {
      try {
        sink.accept(e);
      } catch (RuntimeException ex) {
        log.warn("an event of the log could not be handed on: {}", e, ex);
      }
    }
    deliveredSinceTrim |= !page.isEmpty();
    return page.size() < PAGE ? safe : page.get(page.size() - 1).seq();
  }

  /** The events numbered after {@code after} up to {@code upTo}, oldest first. */
  static List<TaskEvent> read(Tx tx, String sql, long after, long upTo, int max)
      throws SQLException {
    List<TaskEvent> page = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(sql)) {
      ps.setLong(1, after);
      ps.setLong(2, upTo);
      ps.setInt(3, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          page.add(event(rs));
        }
      }
    }
    return page;
  }

  private static TaskEvent event(ResultSet rs) throws SQLException {
    String status = rs.getString(5);
    Timestamp at = rs.getTimestamp(10);
    return new TaskEvent(EventType.valueOf(rs.getString(2)), rs.getLong(3), rs.getString(4),
        status == null ? null : TaskStatus.valueOf(status), rs.getInt(6), rs.getLong(7),
        rs.getLong(8), rs.getString(9), at.toInstant(), rs.getString(11), rs.getLong(1));
  }

  /** Removes events older than the retention, in bounded batches, about once a minute. */
  private void trimNow(Tx tx) throws SQLException {
    if (!deliveredSinceTrim || System.nanoTime() - lastTrim < TRIM_EVERY_NANOS) {
      return;
    }
    lastTrim = System.nanoTime();
    deliveredSinceTrim = false;
    Timestamp cutoff = Timestamp.from(Instant.now().minus(retention));
    int n;
    do {
      try (PreparedStatement ps = tx.prepare(trim)) {
        ps.setTimestamp(1, cutoff);
        n = ps.executeUpdate();
      }
    } while (n == TRIM_BATCH);
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    StoreThreads.joinUninterruptibly(thread);
  }
}
