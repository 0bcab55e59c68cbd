package io.errand.postgres;

import io.errand.jdbc.StoreThreads;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a node's notifications to the other nodes after the commits that caused them, from one
 * thread: what is pending when it is free goes out in one autocommitted statement, the same
 * notification asked for twice meanwhile once.
 *
 * <p><b>Why not in the writing transaction.</b> PostgreSQL takes one lock, for the whole
 * server, when a transaction that notified commits, and holds it until the commit is flushed to
 * disk: every notifying writer of every node commits one after the other, never in a group
 * (docs/postgres.md 4.1 has the measurement). A transaction that only notifies writes nothing
 * before its commit record, so its commit waits for no flush and holds the lock for
 * microseconds.
 *
 * <p><b>What it costs.</b> A crash between a commit and its notification loses the
 * notification; the sweep ({@link Sweeper}) finds the due work within its interval. A failed
 * send is dropped for the same reason (logged once until sends work again). Notifications
 * reach other nodes one round trip later than from the commit itself; this node's own engine
 * is told at the commit, as before ({@link Signalling}).
 */
final class Notifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  private final Database db;
  private final Thread thread;
  /** Pending {channel, payload} pairs, in the order asked. Guarded by itself. */
  private final Set<List<String>> pending = new LinkedHashSet<>();
  private volatile boolean closed;
  private boolean failing; // the thread's alone
  private long sent; // guarded by pending

  Notifier(Database db, String threadName) {
    this.db = db;
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::loop);
  }

  /** Sends {@code payload} on {@code channel} soon (once, if asked again before it goes). */
  void send(String channel, String payload) {
    synchronized (pending) {
      pending.add(List.of(channel, payload));
    }
    LockSupport.unpark(thread);
  }

  /** How many statements it sent (for tests). */
  long statements() {
    synchronized (pending) {
      return sent;
    }
  }

  private void loop() {
    while (!closed) {
      List<List<String>> batch;
      synchronized (pending) {
        batch = new ArrayList<>(pending);
        pending.clear();
      }
      if (batch.isEmpty()) {
        LockSupport.park(this);
        continue;
      }
      sendNow(batch);
    }
  }

  private void sendNow(List<List<String>> batch) {
    String[] channels = new String[batch.size()];
    String[] payloads = new String[batch.size()];
    for (int i = 0; i < channels.length; i++) {
      channels[i] = batch.get(i).get(0);
      payloads[i] = batch.get(i).get(1);
    }
    try {
      db.autocommit(tx -> {
        try (PreparedStatement ps = tx.prepare("SELECT count(pg_notify(c, p)) FROM "
            + "unnest(?::text[], ?::text[]) AS u(c, p)")) {
          ps.setArray(1, tx.connection.createArrayOf("text", channels));
          ps.setArray(2, tx.connection.createArrayOf("text", payloads));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
          }
        }
        return null;
      });
      synchronized (pending) {
        sent++;
      }
      if (failing) {
        failing = false;
        log.info("notifications to other nodes of {} are sent again", db.where);
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        log.warn("notifications to other nodes of {} could not be sent ({}); they find the "
            + "work through the sweep meanwhile", db.where, e.getMessage());
      }
      LockSupport.parkNanos(this, 100_000_000L); // not a busy loop while the database is down
    }
  }

  /** Sends what is pending, then stops. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    StoreThreads.joinUninterruptibly(thread);
    List<List<String>> rest;
    synchronized (pending) {
      rest = new ArrayList<>(pending);
      pending.clear();
    }
    if (!rest.isEmpty()) {
      sendNow(rest);
    }
  }
}
