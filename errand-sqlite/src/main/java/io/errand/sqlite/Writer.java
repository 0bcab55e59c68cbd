package io.errand.sqlite;

import io.errand.api.ErrandException;
import io.errand.jdbc.StoreThreads;
import io.errand.spi.SignalQueue;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the file, so SQLite never sees two writers (and never answers
 * SQLITE_BUSY). Callers hand it an {@link Op} and wait for its answer.
 *
 * <p>Group commit: the thread takes every request queued so far (up to {@link #MAX_BATCH}),
 * runs them in one transaction, commits once, raises the signals the requests asked for and
 * completes their futures; with a {@link WalSyncer#beforeAcknowledging} syncer it does those
 * last two only once the syncer has made the commit durable, and meanwhile goes on with the
 * next batch. So a caller returns only after the commit that holds its change (and, for FULL,
 * its sync), and under load many callers share one commit and one fsync.
 *
 * <p>A request that fails alone (a full queue, a taken id) gets its exception and the others
 * commit: an {@link Op} throws such an exception before its first change, and a request that
 * cannot promise that ({@link #callAtomic}) runs inside a savepoint that is rolled back. An
 * {@link SQLException} (a full disk, a damaged file) fails the whole batch: the transaction is
 * rolled back and every caller of the batch gets the error.
 *
 * <p>The connection stays out of auto-commit mode: the driver begins the next transaction as
 * it commits one, so a batch costs its statements and one {@code COMMIT}, nothing per
 * statement.
 *
 * <p>The per-queue counts of WAITING tasks live here, in memory: one process owns the file, so
 * nobody else changes them. A request changes them through its {@link Tx}; the change is seen
 * by later requests of the same batch at once and by everyone else after the commit.
 */
final class Writer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Writer.class);
  static final int MAX_BATCH = 1024;

  /**
   * A unit of work run on the writer thread, inside the batch's transaction. Run through
   * {@link #call}, it throws a {@link RuntimeException} only before its first change.
   */
  @FunctionalInterface
  interface Op<T> {
    T run(Tx tx) throws SQLException;
  }

  /** What an {@link Op} sees: the connection, the waiting counts and a place for signals. */
  final class Tx {
    final Statements sql;
    private Map<String, Long> deltas;
    private List<Runnable> signals;
    private List<Runnable> announcements;

    private Tx(Statements sql) {
      this.sql = sql;
    }

    /** WAITING tasks of {@code queue}, counting the changes of this batch so far. */
    long waiting(String queue) {
      return committedWaiting(queue) + batchDeltas.getOrDefault(queue, 0L)
          + (deltas == null ? 0L : deltas.getOrDefault(queue, 0L));
    }

    void addWaiting(String queue, long delta) {
      if (deltas == null) {
        deltas = new HashMap<>(4);
      }
      deltas.merge(queue, delta, Long::sum);
    }

    /**
     * Runs {@code announcement} as the batch is acknowledged (once committed, or once synced
     * with a {@link WalSyncer}), before any later batch is, on the acknowledging thread rather
     * than the {@link SignalQueue}'s: for signals that never block, such as the engine's ADDED
     * event (which must precede everything else about a task) and the wake-up of an idle
     * worker.
     */
    void announce(Runnable announcement) {
      if (announcements == null) {
        announcements = new ArrayList<>(2);
      }
      announcements.add(announcement);
    }

    /**
     * Hands {@code signal} to the {@link SignalQueue} as the batch is acknowledged (never if
     * the request fails): for signals that reach user code ({@code onCancel}).
     */
    void signal(Runnable signal) {
      if (signals == null) {
        signals = new ArrayList<>(2);
      }
      signals.add(signal);
    }
  }

  private static final class Request<T> {
    final Op<T> op;
    final boolean atomic;
    final CompletableFuture<T> future = new CompletableFuture<>();
    T value;
    Throwable failure;
    Tx tx;

    Request(Op<T> op, boolean atomic) {
      this.op = op;
      this.atomic = atomic;
    }
  }

  private static final Request<Void> STOP = new Request<>(tx -> null, false);

  private final Statements sql;
  private final SignalQueue signaller;
  private final WalSyncer syncer;
  private final String file;
  private final LinkedBlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
  private final ConcurrentHashMap<String, AtomicLong> waiting = new ConcurrentHashMap<>();
  private final Map<String, Long> batchDeltas = new HashMap<>();
  private final AtomicLong commits = new AtomicLong();
  private final Object submitLock = new Object();
  private final Thread thread;
  private boolean closed;

  /**
   * A writer on {@code sql}, whose connection is out of auto-commit mode. Each commit is
   * handed to {@code syncer}, which says when it may be acknowledged; without one (tests),
   * batches are acknowledged once committed.
   */
  Writer(Statements sql, String file, Map<String, Long> initialWaiting, WalSyncer syncer) {
    this.sql = sql;
    this.syncer = syncer;
    this.signaller = new SignalQueue("errand-sqlite-signals");
    this.file = file;
    initialWaiting.forEach((q, n) -> waiting.put(q, new AtomicLong(n)));
    this.thread = Thread.ofPlatform().name("errand-sqlite-writer").daemon(true)
        .unstarted(this::loop);
    thread.start();
  }

  /** Runs {@code op} on the writer thread; returns its answer once it is committed. */
  <T> T call(Op<T> op) {
    return submit(new Request<>(op, false));
  }

  /**
   * As {@link #call}, for an op that may throw after a change (one of several inserts finds
   * its id taken): it runs inside a savepoint, rolled back if it throws.
   */
  <T> T callAtomic(Op<T> op) {
    return submit(new Request<>(op, true));
  }

  private <T> T submit(Request<T> r) {
    synchronized (submitLock) {
      if (closed) {
        throw new IllegalStateException("the SQLite store " + file + " is closed");
      }
      queue.add(r);
    }
    try {
      return r.future.join(); // not interruptible: a change in flight is answered either way
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new ErrandException("store_failed", "the SQLite store " + file + " failed: " + cause,
          cause);
    }
  }

  /** WAITING tasks of {@code queue}, as committed. */
  long committedWaiting(String queue) {
    AtomicLong n = waiting.get(queue);
    return n == null ? 0 : n.get();
  }

  /** How many transactions were committed so far (for tests of group commit). */
  long commits() {
    return commits.get();
  }

  private void loop() {
    List<Request<?>> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() stops the writer
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      boolean stop = batch.remove(STOP);
      if (!batch.isEmpty()) {
        try {
          runBatch(batch);
        } catch (Throwable t) { // never let the writer die: its callers would wait forever
          abandon(batch, t);
        }
      }
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  private void runBatch(List<Request<?>> batch) {
    try {
      for (Request<?> r : batch) {
        runOne(r);
      }
      sql.connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        sql.connection.rollback();
      } catch (SQLException rollbackFailed) {
        e.addSuppressed(rollbackFailed);
      }
      batchDeltas.clear();
      failAll(batch, e);
      return;
    }
    commits.incrementAndGet();
    batchDeltas.forEach((q, d) -> waiting.computeIfAbsent(q, k -> new AtomicLong()).addAndGet(d));
    batchDeltas.clear();
    Request<?>[] done = batch.toArray(new Request<?>[0]);
    if (syncer == null) {
      acknowledge(done, null);
    } else {
      syncer.committed(syncFailure -> acknowledge(done, syncFailure));
    }
  }

  /** Raises the signals of a committed batch and answers its callers, in request order. */
  private void acknowledge(Request<?>[] done, IOException syncFailure) {
    if (syncFailure != null) {
      ErrandException e = new ErrandException("store_failed", "the SQLite store " + file
          + " committed a change but could not sync its log to disk (" + syncFailure.getMessage()
          + "): the change is in the file, but a crash of the machine may lose it", syncFailure);
      for (Request<?> r : done) {
        r.future.completeExceptionally(e);
      }
      return;
    }
    for (Request<?> r : done) {
      if (r.failure == null && r.tx.announcements != null) {
        for (Runnable announcement : r.tx.announcements) {
          try {
            announcement.run();
          } catch (RuntimeException e) {
            log.warn("a store announcement failed", e);
          }
        }
      }
    }
    for (Request<?> r : done) {
      if (r.failure == null && r.tx.signals != null) {
        signaller.raiseAll(r.tx.signals);
      }
    }
    for (Request<?> r : done) {
      complete(r);
    }
  }

  private <T> void runOne(Request<T> r) throws SQLException {
    r.tx = new Tx(sql);
    if (!r.atomic) {
      try {
        r.value = r.op.run(r.tx);
      } catch (RuntimeException | Error e) { // thrown before any change: it fails alone
        r.failure = e;
        return;
      }
      mergeDeltas(r.tx);
      return;
    }
    sql.run("SAVEPOINT op");
    try {
      r.value = r.op.run(r.tx);
      sql.run("RELEASE op");
      mergeDeltas(r.tx);
    } catch (SQLException | RuntimeException | Error e) { // an Error is the caller's, too
      sql.run("ROLLBACK TO op"); // if this fails, the whole batch fails
      sql.run("RELEASE op");
      r.failure = e instanceof SQLException se ? failed(se) : e;
    }
  }

  private void mergeDeltas(Tx tx) {
    if (tx.deltas != null) {
      tx.deltas.forEach((q, d) -> batchDeltas.merge(q, d, Long::sum));
    }
  }

  private static <T> void complete(Request<T> r) {
    if (r.failure != null) {
      r.future.completeExceptionally(r.failure);
    } else {
      r.future.complete(r.value);
    }
  }

  private void failAll(List<Request<?>> batch, Exception e) {
    RuntimeException failure = e instanceof SQLException se ? failed(se)
        : (RuntimeException) e;
    for (Request<?> r : batch) {
      r.future.completeExceptionally(failure);
    }
  }

  private void abandon(List<Request<?>> batch, Throwable t) {
    try {
      sql.connection.rollback();
    } catch (SQLException | RuntimeException noTransaction) {
      t.addSuppressed(noTransaction);
    }
    batchDeltas.clear();
    for (Request<?> r : batch) {
      r.future.completeExceptionally(t); // no effect on those already answered
    }
  }

  private ErrandException failed(SQLException e) {
    return new ErrandException("store_failed", "the SQLite store " + file + " failed: "
        + e.getMessage(), e);
  }

  /** Runs what was queued before, then stops the thread. */
  @Override
  public void close() {
    synchronized (submitLock) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    }
    StoreThreads.joinUninterruptibly(thread);
    if (syncer != null) {
      syncer.close(); // syncs and acknowledges the last batches
    }
    signaller.close(); // after the last acknowledgement: every committed change is signalled
  }
}
