package io.errand.bench.durable;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 13's any-node latencies, on two nodes A and B of one fresh database. A starts first
 * with one worker, which it gives a task that blocks until the end, so that every probe A
 * submits can only start on B (four workers, idle between probes).
 *
 * <ul>
 *   <li><b>pickup</b>: from just before {@code A.submit} until the handler on B starts (its
 *       submit's commit, the NOTIFY, B's claim);</li>
 *   <li><b>cancel</b>: a probe runs on B, blocked in {@code Thread.sleep}; from just before
 *       {@code A.cancel} until the handler on B is interrupted (its {@code finally}).</li>
 * </ul>
 *
 * <p>Both nodes live in this JVM (so one {@code System.nanoTime} clock times both ends) but
 * share nothing except the database. Probes are 20 ms apart, so B's workers are parked again
 * when each arrives: the idle-queue case of the target.
 */
final class PgCrossNode {
  private static final long GAP_MS = 20;
  private static final long PROBE_TIMEOUT_S = 30;

  private PgCrossNode() {}

  static String pickup(int probes) throws Exception {
    String load = Machine.load();
    AtomicLongArray started = new AtomicLongArray(probes);
    try (Target.Postgres db = Target.Postgres.scratch(); PgNodes cluster = new PgNodes()) {
      CountDownLatch release = new CountDownLatch(1);
      Errand a = startA(cluster, db, "pickup", release);
      cluster.start(db, "node-b", List.of(QueueSpec.builder("pickup", Integer.class, ctx -> {
        started.set(ctx.args(), System.nanoTime());
        return null;
      }).workers(4).build()));
      long[] nanos = new long[probes];
      for (int i = 0; i < probes; i++) {
        Thread.sleep(GAP_MS);
        long t0 = System.nanoTime();
        a.submit("pickup", i);
        awaitStamp(started, i);
        nanos[i] = started.get(i) - t0;
      }
      release.countDown();
      return PgLatency.row("pickup: submit on A → start on B", "B: 4 idle workers", nanos,
          0, load);
    }
  }

  static String cancel(int probes) throws Exception {
    String load = Machine.load();
    AtomicLongArray started = new AtomicLongArray(probes);
    AtomicLongArray stopped = new AtomicLongArray(probes);
    try (Target.Postgres db = Target.Postgres.scratch(); PgNodes cluster = new PgNodes()) {
      CountDownLatch release = new CountDownLatch(1);
      Errand a = startA(cluster, db, "sleeper", release);
      cluster.start(db, "node-b", List.of(QueueSpec.builder("sleeper", Integer.class, ctx -> {
        started.set(ctx.args(), System.nanoTime());
        try {
          Thread.sleep(TimeUnit.SECONDS.toMillis(PROBE_TIMEOUT_S * 2));
        } finally {
          stopped.set(ctx.args(), System.nanoTime());
        }
        return null;
      }).workers(4).build()));
      long[] nanos = new long[probes];
      for (int i = 0; i < probes; i++) {
        long id = a.submit("sleeper", i);
        awaitStamp(started, i);
        Thread.sleep(GAP_MS);
        long t0 = System.nanoTime();
        a.cancel(id, "bench");
        awaitStamp(stopped, i);
        nanos[i] = stopped.get(i) - t0;
      }
      release.countDown();
      return PgLatency.row("cancel: cancel on A → handler interrupted on B", "B: 4 workers",
          nanos, 0, load);
    }
  }

  /** Node A, its one worker held by a blocking task until {@code release}. */
  private static Errand startA(PgNodes cluster, Target.Postgres db, String queue,
      CountDownLatch release) throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    Errand a = cluster.start(db, "node-a", List.of(QueueSpec.builder(queue, Integer.class,
        ctx -> {
          holding.countDown();
          release.await();
          return null;
        }).workers(1).build()));
    a.submit(queue, -1);
    if (!holding.await(PROBE_TIMEOUT_S, TimeUnit.SECONDS)) {
      throw new IllegalStateException("node A did not start its blocking task");
    }
    return a;
  }

  private static void awaitStamp(AtomicLongArray stamps, int i) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROBE_TIMEOUT_S);
    while (stamps.get(i) == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("probe " + i + " not seen within " + PROBE_TIMEOUT_S
            + " s");
      }
      LockSupport.parkNanos(20_000); // polls without taking a core from the nodes
    }
  }
}
