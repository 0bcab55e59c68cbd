package io.errand.postgres;

import io.errand.api.ErrandException;
import io.errand.jdbc.StoreThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection per store that {@code LISTEN}s on the store's channels, and the thread that
 * hands each notification to {@link Signalling#received}. Every {@code check} it also runs a
 * query, so a connection that died silently is noticed. After a lost connection it reconnects
 * (waiting longer each time, up to 5 s), listens again and then calls
 * {@link Signalling#missed}: notifications sent meanwhile are lost, so every known queue is
 * woken and the cancel requests of this node's tasks are raised again.
 *
 * <p><b>The probe.</b> A LISTEN that PostgreSQL accepts does not prove that notifications
 * arrive: behind a transaction-pooling pgbouncer the LISTEN ran on a server connection that
 * the next transaction no longer uses, and a listening URL that names another database hears
 * nothing of this one. So after each connect it sends itself a notification from the pool and
 * waits up to {@link #PROBE_WAIT} for it. If it does not come, it logs one warning (once per
 * store) and makes the sweep run at its fallback interval: it then carries pickup and cancels
 * alone. When the sweep runs on this connection ({@link Sweeper#onListener}), it replaces the
 * liveness query.
 */
final class Listener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Listener.class);
  private static final long POLL_MS = 250;
  private static final long MAX_BACKOFF_MS = 5_000;
  /** How long the probe waits for its own notification. */
  static final Duration PROBE_WAIT = Duration.ofSeconds(2);

  private final Database db;
  private final Signalling signalling;
  private final String applicationName;
  private final long checkMs;
  private final Supplier<Iterable<Long>> cancelledHere;
  private final String listenUrl;
  private final Sweeper sweeper;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection;
  private boolean warned; // the listener thread's alone
  /** Whether the last probe came back: notifications reach this node. */
  private volatile boolean hearing;

  /**
   * Listens, then starts the thread.
   *
   * @throws ErrandException if the first connection fails
   */
  Listener(Database db, Signalling signalling, String applicationName, Duration check,
      Supplier<Iterable<Long>> cancelledHere, String listenUrl, Sweeper sweeper) {
    this.db = db;
    this.signalling = signalling;
    this.applicationName = applicationName;
    this.checkMs = Math.max(POLL_MS, check.toMillis());
    this.cancelledHere = cancelledHere;
    this.listenUrl = listenUrl;
    this.sweeper = sweeper;
    try {
      connection = listen();
    } catch (SQLException e) {
      throw db.failed(e);
    }
    thread = Thread.ofPlatform().name(applicationName).daemon(true).start(this::loop);
  }

  private Connection listen() throws SQLException {
    Connection c = db.connect(applicationName, listenUrl);
    try (Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("LISTEN " + signalling.workChannel);
      s.execute("LISTEN " + signalling.cancelChannel);
      s.execute("LISTEN " + signalling.probeChannel);
      s.execute("LISTEN " + signalling.eventsChannel);
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
    return c;
  }

  private void loop() {
    long backoff = 100;
    boolean probed = false;
    while (!closed) {
      Connection c = connection;
      try {
        if (c == null) {
          c = listen();
          connection = c;
          probed = false;
          if (closed) {
            break;
          }
          log.info("the listener of {} is connected again; waking every queue, as "
              + "notifications may have been missed", db.where);
          signalling.missed(cancelledHere.get());
        }
        if (!probed) {
          probe(c);
          probed = true;
        }
        backoff = 100;
        receive(c);
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        if (c != null) {
          log.warn("the listener of {} lost its connection ({}); reconnecting", db.where,
              e.getMessage());
        }
        closeQuietly(c);
        connection = null;
        sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
    closeQuietly(connection);
  }

  /**
   * Sends a notification to itself through the pool and waits for it, handing on the others
   * that come meanwhile; if it does not come, warns (once) and drops the sweep to its fallback interval.
   */
  private void probe(Connection c) throws SQLException {
    String nonce = signalling.self() + " " + System.nanoTime();
    db.autocommit(tx -> {
      try (var ps = tx.prepare("SELECT pg_notify(?, ?)")) {
        ps.setString(1, signalling.probeChannel);
        ps.setString(2, nonce);
        ps.execute();
      }
      return null;
    });
    PGConnection pg = c.unwrap(PGConnection.class);
    long deadline = System.nanoTime() + PROBE_WAIT.toNanos();
    while (!closed && System.nanoTime() < deadline) {
      PGNotification[] ns = pg.getNotifications((int) POLL_MS);
      if (ns == null) {
        continue;
      }
      boolean answered = false;
      for (PGNotification n : ns) { // all of them: those after the answer count too
        if (n.getName().equals(signalling.probeChannel)) {
          answered |= n.getParameter().equals(nonce);
        } else {
          signalling.received(n.getName(), n.getParameter());
        }
      }
      if (answered) {
        hearing = true;
        signalling.hearing(true);
        return;
      }
    }
    if (closed) {
      return;
    }
    hearing = false;
    signalling.hearing(false);
    if (!warned) {
      warned = true;
      log.warn("LISTEN/NOTIFY does not reach this node: the listener of {} got no answer to "
          + "its probe within {} (a transaction-pooling pgbouncer, or a listenUrl that names "
          + "another database?). New work and cancels from other nodes now reach it through "
          + "the sweep only; give listenUrl a direct connection to the database for "
          + "millisecond pickup", db.where, PROBE_WAIT);
    }
    sweeper.fallBack();
  }

  /** Whether the last probe's notification came back. */
  boolean hearing() {
    return hearing;
  }

  /** Hands on notifications until the connection fails or the store closes. */
  private void receive(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long lastCheck = System.nanoTime();
    while (!closed) {
      PGNotification[] ns = pg.getNotifications((int) POLL_MS);
      if (ns != null) {
        for (PGNotification n : ns) {
          if (!n.getName().equals(signalling.probeChannel)) {
            signalling.received(n.getName(), n.getParameter());
          }
        }
      }
      if (sweeper.onListener() && sweeper.due()) {
        sweeper.sweepOn(c); // also proves the connection alive
        lastCheck = System.nanoTime();
      } else if (System.nanoTime() - lastCheck > checkMs * 1_000_000L) {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT 1");
        }
        lastCheck = System.nanoTime();
      }
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      // close() interrupts to stop the wait; the loop checks closed
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // going anyway
      }
    }
  }

  /** Stops listening and closes the connection. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    StoreThreads.joinUninterruptibly(thread);
  }
}
