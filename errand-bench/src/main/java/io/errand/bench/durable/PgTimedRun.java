package io.errand.bench.durable;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one operation in a loop on {@code threads} threads, each with a connection of its own
 * (prepared statements are server-side prepared by pgjdbc after 5 uses, as in the store), for
 * a fixed time or until the operation says its rows ran out; reports transactions and tasks
 * per second and the operation's durations.
 */
final class PgTimedRun {
  /** One operation: returns the tasks it handled, or -1 when there is nothing left. */
  interface Op {
    int run(Connection c, int thread, long iteration) throws SQLException;
  }

  private final Target.Postgres db;
  private final long seconds;

  PgTimedRun(Target.Postgres db, long seconds) {
    this.db = db;
    this.seconds = seconds;
  }

  /** What one timed run of an operation did. */
  record Sample(double transactionsPerSecond, double tasksPerSecond, long[] nanos) {}

  /** Runs {@code op} on {@code threads} threads. */
  Sample measure(String path, String variant, int threads, Op op) throws Exception {
    AtomicLong ops = new AtomicLong();
    AtomicLong tasks = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long[][] latencies = new long[threads][];
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2];
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      started.add(Thread.ofPlatform().name(path + "-" + t).start(() -> {
        long[] times = new long[1 << 16];
        int n = 0;
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), Target.Postgres.USER, "")) {
          ready.countDown();
          go.await();
          long deadline = window[0] + TimeUnit.SECONDS.toNanos(seconds);
          for (long i = 0; System.nanoTime() < deadline; i++) {
            long t0 = System.nanoTime();
            int done = op.run(c, thread, i);
            if (done < 0) {
              break;
            }
            if (n == times.length) {
              times = Arrays.copyOf(times, n * 2);
            }
            times[n++] = System.nanoTime() - t0;
            ops.incrementAndGet();
            tasks.addAndGet(done);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          ready.countDown();
        }
        latencies[thread] = Arrays.copyOf(times, n);
      }));
    }
    ready.await();
    window[0] = System.nanoTime();
    go.countDown();
    for (Thread t : started) {
      t.join();
    }
    window[1] = System.nanoTime();
    if (failure.get() != null) {
      throw new IllegalStateException(path + " / " + variant + " failed", failure.get());
    }
    double s = (window[1] - window[0]) / 1e9;
    return new Sample(ops.get() / s, tasks.get() / s,
        Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray());
  }
}
