package io.errand.postgres;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * A node on a schema of its own whose group writer a test holds inside a batch, so that it
 * knows what the writer writes together: the {@link SubmitWriter} for submits, the
 * {@link Completer} for ends. Every batch of either changes the counts table ({@code waiting});
 * a transaction of the test's own locks it, the writer's first batch waits for that lock, and
 * whatever the test's threads hand the writer meanwhile piles up as pending work, which becomes
 * its next batch once the lock goes.
 */
final class HeldBatches implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(60);

  final TestDatabase db = TestDatabase.get();
  final String schema = db.freshSchema();
  final Node node;
  private final ExecutorService threads;

  /** A node named {@code name}, and {@code threads} threads to call it from. */
  HeldBatches(String name, int threads) {
    this.node = Node.open(db, schema, name);
    this.threads = Executors.newFixedThreadPool(threads);
  }

  /** Runs {@code call} on one of the fixture's threads. */
  <T> Future<T> submit(Callable<T> call) {
    return threads.submit(call);
  }

  /**
   * Locks the counts table, runs {@code first} on a thread and waits until the writer whose
   * counts {@code batches} and {@code pending} read has taken it into a batch (one batch more
   * than before, nothing pending): that batch now waits for the lock.
   */
  <T> Hold<T> hold(LongSupplier batches, IntSupplier pending, Callable<T> first)
      throws SQLException {
    long before = batches.getAsLong();
    Connection blocker = db.connect();
    try {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE " + schema + ".waiting IN EXCLUSIVE MODE");
      }
      Future<T> firstAnswer = submit(first);
      await().atMost(WAIT).until(() -> batches.getAsLong() == before + 1
          && pending.getAsInt() == 0);
      return new Hold<>(blocker, pending, firstAnswer);
    } catch (SQLException | RuntimeException | Error e) {
      blocker.close();
      throw e;
    }
  }

  /** The held lock of {@link #hold}; closing it lets the writer go if it was not yet. */
  static final class Hold<T> implements AutoCloseable {
    private final Connection blocker;
    private final IntSupplier pending;
    private final Future<T> first;

    private Hold(Connection blocker, IntSupplier pending, Future<T> first) {
      this.blocker = blocker;
      this.pending = pending;
      this.first = first;
    }

    /** The answer to the call the held batch holds. */
    Future<T> first() {
      return first;
    }

    /** Waits until {@code n} requests are pending in the writer, then lets it go. */
    void releaseWhenPending(int n) throws SQLException {
      await().atMost(WAIT).until(() -> pending.getAsInt() == n);
      blocker.commit();
    }

    @Override
    public void close() throws SQLException {
      blocker.close();
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    node.close();
    db.drop(schema);
  }
}
