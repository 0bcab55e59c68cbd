package io.errand.postgres;

import io.errand.jdbc.StoreThreads;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net behind notifications: once per interval, one statement for all of this node's
 * queues finds those with a due task and this node's running tasks with a cancel requested,
 * and raises them as a notification would ({@link Signalling#swept}). It catches what
 * notifications missed (a listener reconnecting, a NOTIFY that cannot reach this node, a
 * delayed task of another node that became due), at the cost of one transaction per interval
 * however many queues and workers the node has. Parked workers poll nothing themselves.
 *
 * <p>When notifications cannot reach this node at all ({@link Listener}'s probe), the sweep is
 * all there is: it then runs at {@link #fallBack}'s interval.
 *
 * <p>It runs on the listener's own connection ({@link #sweepOn}, called by the listener's
 * thread), where it also proves that connection alive: no pool connection is borrowed (the
 * pool checks a connection idle for a while with a statement of its own, one more
 * transaction). With a {@code listenUrl} the listener may not be on this database, so the
 * sweep then has a thread of its own on the pool.
 */
final class Sweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
  static final String SWEEP = "SELECT 'w', q FROM unnest(?::text[]) AS q WHERE EXISTS (SELECT 1 "
      + "FROM {s}.tasks t WHERE t.queue = q AND t.status = 'WAITING' AND NOT t.held AND "
      + "t.run_at <= ?) UNION ALL SELECT 'c', id::text FROM {s}.tasks WHERE status = 'RUNNING' "
      + "AND owner = ? AND cancel_requested UNION ALL SELECT 'e', (CASE WHEN is_called THEN "
      + "last_value ELSE 0 END)::text FROM {s}.event_seqs";

  private final Database db;
  private final Signalling signalling;
  private final InstantSource clock;
  private final String sql;
  private final Duration fallback;
  private final Thread thread;
  private volatile Duration interval;
  private volatile long nextNanos;
  private volatile boolean closed;
  private boolean failing; // the sweeper thread's alone

  Sweeper(Database db, Signalling signalling, InstantSource clock, String schema,
      Duration interval, Duration fallback, String threadName, boolean onListener) {
    this.db = db;
    this.signalling = signalling;
    this.clock = clock;
    this.sql = Schema.qualify(schema, SWEEP);
    this.interval = interval;
    this.fallback = fallback;
    this.nextNanos = System.nanoTime() + interval.toNanos();
    this.thread = onListener ? null
        : Thread.ofPlatform().name(threadName).daemon(true).start(this::loop);
  }

  /** Whether the listener runs the sweep on its connection ({@link #sweepOn}). */
  boolean onListener() {
    return thread == null;
  }

  /** Whether a sweep on the listener's connection is due now. */
  boolean due() {
    return System.nanoTime() - nextNanos >= 0;
  }

  /**
   * Sweeps on {@code c}, the listener's connection (in autocommit).
   *
   * @throws SQLException if the connection failed: the listener reconnects
   */
  void sweepOn(Connection c) throws SQLException {
    nextNanos = System.nanoTime() + interval.toNanos();
    List<String> due = new ArrayList<>();
    List<Long> cancelled = new ArrayList<>();
    long lastEvent = read(new Tx(c), due, cancelled);
    signalling.swept(due, cancelled, lastEvent);
  }

  /** Notifications do not reach this node: sweep at the fallback interval from now on. */
  void fallBack() {
    if (fallback.compareTo(interval) < 0) {
      interval = fallback;
      nextNanos = System.nanoTime();
      if (thread != null) {
        LockSupport.unpark(thread);
      }
    }
  }

  /** The interval in force now. */
  Duration interval() {
    return interval;
  }

  private void loop() {
    long next = System.nanoTime() + interval.toNanos();
    while (!closed) {
      long left = next - System.nanoTime();
      if (left > 0) {
        LockSupport.parkNanos(this, Math.min(left, interval.toNanos()));
        next = Math.min(next, System.nanoTime() + interval.toNanos()); // a shorter interval now
        continue;
      }
      sweepOnce();
      next = System.nanoTime() + interval.toNanos();
    }
  }

  private void sweepOnce() {
    try {
      List<String> due = new ArrayList<>();
      List<Long> cancelled = new ArrayList<>();
      long lastEvent = db.autocommit(tx -> read(tx, due, cancelled));
      signalling.swept(due, cancelled, lastEvent);
      if (failing) {
        failing = false;
        log.info("the sweep of {} works again", db.where);
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        log.warn("the sweep of {} failed; trying again each interval: {}", db.where,
            e.getMessage());
      }
    }
  }

  /** Reads into {@code due} and {@code cancelled}; answers the event log's last number. */
  private long read(Tx tx, List<String> due, List<Long> cancelled) throws SQLException {
    long lastEvent = 0;
    try (PreparedStatement ps = tx.prepare(sql)) {
      Array queues = ps.getConnection().createArrayOf("text", signalling.queues());
      ps.setArray(1, queues);
      ps.setObject(2, Row.timestamp(clock.instant()));
      ps.setLong(3, signalling.self());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getString(1).equals("w")) {
            due.add(rs.getString(2));
          } else if (rs.getString(1).equals("e")) {
            lastEvent = Long.parseLong(rs.getString(2));
          } else {
            cancelled.add(Long.parseLong(rs.getString(2)));
          }
        }
      }
    }
    return lastEvent;
  }

  /** Stops the thread, if it has one, waiting for a sweep under way. */
  @Override
  public void close() {
    closed = true;
    if (thread == null) {
      return;
    }
    LockSupport.unpark(thread);
    StoreThreads.joinUninterruptibly(thread);
  }
}
