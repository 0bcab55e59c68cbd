package io.errand.sqlite;

import io.errand.api.ErrandException;
import io.errand.spi.Transition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Opens a store's file: the owner lock, the checks that refuse a foreign, corrupt or newer
 * file, the migrations, recovery of the tasks a dead owner left RUNNING, and the two
 * connections (one for the writer, one for readers).
 */
final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  final Path file;
  final OwnerLock lock;
  final Statements writer;
  final Statements reader;
  /** WAITING tasks per queue after recovery, to seed the writer's counts. */
  final Map<String, Long> waiting;
  /** Tasks recovery found RUNNING with a cancel requested and so ended CANCELLED. */
  final List<Long> cancelledAtRecovery;
  /** The paused queues, since when (epoch micros): a pause outlives the process. */
  final Map<String, Long> paused;

  private Database(Path file, OwnerLock lock, Statements writer, Statements reader,
      Recovery recovery) {
    this.file = file;
    this.lock = lock;
    this.writer = writer;
    this.reader = reader;
    this.waiting = recovery.waiting();
    this.cancelledAtRecovery = recovery.cancelled();
    this.paused = recovery.paused();
  }

  /** What recovery did and found: the waiting counts, the tasks it cancelled, the pauses. */
  private record Recovery(Map<String, Long> waiting, List<Long> cancelled,
      Map<String, Long> paused) {}

  static Database open(Path file, long nowMicros) {
    Path abs = file.toAbsolutePath();
    try {
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of " + abs, e);
    }
    OwnerLock lock = OwnerLock.acquire(abs);
    Statements w = null;
    Statements r = null;
    try {
      Schema.checkLooksLikeSqlite(abs);
      w = new Statements(connect(abs));
      try {
        Schema.migrate(w.connection, abs); // reads the header first: refuses before any write
      } catch (SQLException e) {
        throw new IllegalStateException(abs + " cannot be read as a SQLite database ("
            + e.getMessage() + "); it may be damaged. It was left untouched", e);
      }
      w.exec("PRAGMA journal_mode = WAL");
      // FULL's syncs are the store's own, off the writer thread: see WalSyncer.
      w.exec("PRAGMA synchronous = NORMAL");
      Recovery recovery = recover(w, nowMicros);
      w.connection.setAutoCommit(false); // the writer's batches: see Writer
      r = new Statements(connect(abs));
      r.exec("PRAGMA query_only = 1");
      return new Database(abs, lock, w, r, recovery);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(r);
      closeQuietly(w);
      lock.close();
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new ErrandException("store_failed", "cannot open the SQLite store " + abs + ": "
          + e.getMessage(), e);
    }
  }

  private static Connection connect(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(10_000); // only checkpoints can make it wait
    config.setGetGeneratedKeys(false); // ids come back with RETURNING, not an extra query
    return config.createConnection("jdbc:sqlite:" + file);
  }

  /**
   * One process owns the file, so a task still RUNNING belonged to an owner that died: it goes
   * back to WAITING, due now, its attempt counted (at-least-once). One whose cancel had been
   * requested is CANCELLED instead, as a retry of it would be.
   */
  private static Recovery recover(Statements s, long now) throws SQLException {
    s.exec("BEGIN IMMEDIATE");
    int cancelled;
    int requeued;
    List<Long> cancelledIds = new ArrayList<>();
    try {
      try (ResultSet rs = s.get("SELECT id FROM tasks WHERE status = 'RUNNING' AND "
          + "cancel_requested = 1").executeQuery()) {
        while (rs.next()) {
          cancelledIds.add(rs.getLong(1));
        }
      }
      PreparedStatement cancel = s.get("UPDATE tasks SET status = '"
          + Transition.CANCEL_RUNNING.to() + "', message = cancel_reason, finished_at = ?, "
          + "node = NULL WHERE status = '" + Transition.CANCEL_RUNNING.from() + "' AND "
          + "cancel_requested = 1");
      cancel.setLong(1, now);
      cancelled = cancel.executeUpdate();
      PreparedStatement requeue = s.get("UPDATE tasks SET status = '" + Transition.REQUEUE.to()
          + "', run_at = ?, ready = 1, node = NULL WHERE status = '" + Transition.REQUEUE.from()
          + "'");
      requeue.setLong(1, now);
      requeued = requeue.executeUpdate();
      s.exec("COMMIT");
    } catch (SQLException e) {
      s.exec("ROLLBACK");
      throw e;
    }
    if (requeued + cancelled > 0) {
      log.info("recovered {} task(s) left running by the previous owner: {} due again now, "
          + "{} cancelled as requested", requeued + cancelled, requeued, cancelled);
    }
    Map<String, Long> waiting = new HashMap<>();
    try (ResultSet rs = s.get("SELECT queue, count(*) FROM tasks WHERE status = 'WAITING' "
        + "GROUP BY queue").executeQuery()) {
      while (rs.next()) {
        waiting.put(rs.getString(1), rs.getLong(2));
      }
    }
    Map<String, Long> paused = new HashMap<>();
    try (ResultSet rs = s.get("SELECT queue, paused_at FROM queue_controls WHERE paused_at IS "
        + "NOT NULL").executeQuery()) {
      while (rs.next()) {
        paused.put(rs.getString(1), rs.getLong(2));
      }
    }
    return new Recovery(waiting, cancelledIds, paused);
  }

  private static void closeQuietly(Statements s) {
    if (s != null) {
      try {
        s.close();
      } catch (SQLException ignored) {
        // already failing
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(reader);
    closeQuietly(writer);
    lock.close();
  }
}
