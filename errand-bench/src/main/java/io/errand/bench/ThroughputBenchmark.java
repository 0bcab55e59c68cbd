package io.errand.bench;

import io.errand.api.QueueSpec;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * No-op tasks per second: Errand with full tracking beside two thread pools.
 *
 * <p>One benchmark operation submits a batch of {@value #BATCH} no-op tasks from one thread and
 * waits until all of them have run; {@link OperationsPerInvocation} makes JMH report <b>tasks
 * per second</b>. The three subjects, all with {@code workers} worker threads:
 *
 * <ul>
 *   <li>{@link #errand}: Errand with full tracking ({@link TrackedErrand}: memory store with
 *       status, progress fields, times and result per task, queue metrics, a listener receiving
 *       ADDED, STARTED and SUCCEEDED for every task, a retention of 10 s unless
 *       {@code -p retentionSeconds=N}). The handler counts the batch latch down as its last
 *       act; the bookkeeping that follows it (recording SUCCESS, metrics, the event) still
 *       runs on the worker before it can claim another task, so in a steady stream it is part
 *       of every measured batch. At the end of the run the benchmark
 *       prints what Errand tracked and flags any task or event that went missing.
 *   <li>{@link #poolWithStatusMap}: the hand-rolled alternative, a {@link ThreadPoolExecutor}
 *       whose tasks record their status (RUNNING, then SUCCESS) in a
 *       {@code ConcurrentHashMap<Long, String>}. The map is cleared after each batch, inside
 *       the measured time (about a microsecond per batch): it never holds more than one batch,
 *       which makes it the cheapest such baseline, whereas Errand keeps 10 s of finished tasks
 *       queryable. The comparison is therefore conservative for Errand.
 *   <li>{@link #poolWithRetainedStatusMap}: the same pool and map, but the map keeps every
 *       status until the end of the measurement iteration (5 s, within Errand's 10 s
 *       retention), as a status map that can be queried must: it grows to millions of entries,
 *       as Errand's store does. This is the like-for-like baseline; the cleared one above is
 *       the most flattering to the pool.
 *   <li>{@link #plainPool}: the floor, a {@link ThreadPoolExecutor} running untracked no-ops.
 * </ul>
 *
 * <p>Fairness: same worker count, same submitting thread, same batch and latch, same heap
 * (fixed by {@link Fork}); the pools use platform threads, Errand its default virtual threads
 * unless {@code -p threads=PLATFORM} is given. The warm-up lasts longer than the retention, so
 * that Errand is measured in its steady state: holding a full retention's worth of finished
 * tasks while the sweep removes the oldest.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ThroughputBenchmark.BATCH)
@Warmup(iterations = 3, time = 5) // longer than the retention: measure with the sweep at work
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class ThroughputBenchmark {
  /** Tasks per benchmark operation. */
  public static final int BATCH = 1_000;
  /** Every task's argument: the same small object for every subject. */
  private static final Integer ARGS = 42;

  /** Errand with full tracking, its handler counting down the current batch's latch. */
  @State(Scope.Benchmark)
  public static class ErrandQueue {
    @Param({"2", "8"})
    public int workers;
    @Param({"VIRTUAL"})
    public QueueSpec.Threads threads;
    /** How long finished tasks stay queryable, in seconds: the store holds that much work. */
    @Param({"10"})
    public int retentionSeconds;

    TrackedErrand<Integer> errand;
    volatile CountDownLatch batch;

    @Setup(Level.Trial)
    public void start() {
      errand = new TrackedErrand<>(Integer.class, ctx -> {
        batch.countDown();
        return null;
      }, workers, threads, 100_000, Duration.ofSeconds(retentionSeconds));
    }

    @TearDown(Level.Trial)
    public void stop() {
      System.out.println();
      System.out.println(errand.settleAndDescribe());
      System.out.println(errand.shutdownAndDescribe());
    }
  }

  /** A thread pool whose tasks record RUNNING then SUCCESS in a map (both baselines). */
  @State(Scope.Benchmark)
  public abstract static class StatusMapPool {
    @Param({"2", "8"})
    public int workers;

    ThreadPoolExecutor pool;
    final ConcurrentHashMap<Long, String> statuses = new ConcurrentHashMap<>();
    long nextId;

    @Setup(Level.Trial)
    public void start() {
      pool = Pools.fixed(getClass().getSimpleName(), workers);
    }

    @TearDown(Level.Trial)
    public void stop() {
      Pools.stop(pool);
    }
  }

  /** The status map is cleared after each batch (by the benchmark method). */
  @State(Scope.Benchmark)
  public static class PoolWithStatusMap extends StatusMapPool {}

  /** The status map is kept for the whole iteration, as a queryable map must be. */
  @State(Scope.Benchmark)
  public static class PoolWithRetainedStatusMap extends StatusMapPool {
    @TearDown(Level.Iteration)
    public void forget() {
      statuses.clear();
    }
  }

  /** A thread pool running untracked no-ops. */
  @State(Scope.Benchmark)
  public static class PlainPool {
    @Param({"2", "8"})
    public int workers;

    ThreadPoolExecutor pool;

    @Setup(Level.Trial)
    public void start() {
      pool = Pools.fixed("plain-pool", workers);
    }

    @TearDown(Level.Trial)
    public void stop() {
      Pools.stop(pool);
    }
  }

  /** A batch through Errand with full tracking. */
  @Benchmark
  public void errand(ErrandQueue q) throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(BATCH);
    q.batch = latch;
    for (int i = 0; i < BATCH; i++) {
      q.errand.submit(ARGS);
    }
    latch.await();
  }

  /** A batch through a thread pool whose tasks track their status in a map. */
  @Benchmark
  public void poolWithStatusMap(PoolWithStatusMap p) throws InterruptedException {
    p.nextId = statusMapBatch(p.pool, p.statuses, p.nextId);
    p.statuses.clear();
  }

  /** A batch through a thread pool whose tasks track their status in a map that is kept. */
  @Benchmark
  public void poolWithRetainedStatusMap(PoolWithRetainedStatusMap p) throws InterruptedException {
    p.nextId = statusMapBatch(p.pool, p.statuses, p.nextId);
  }

  /** One batch whose tasks record RUNNING, then SUCCESS; returns the last id used. */
  private static long statusMapBatch(ThreadPoolExecutor pool,
      ConcurrentHashMap<Long, String> statuses, long lastId) throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(BATCH);
    long next = lastId;
    for (int i = 0; i < BATCH; i++) {
      Long id = ++next;
      Integer args = ARGS;
      pool.execute(() -> {
        statuses.put(id, "RUNNING");
        noop(args);
        statuses.put(id, "SUCCESS");
        latch.countDown();
      });
    }
    latch.await();
    return next;
  }

  /** A batch through a thread pool running untracked no-ops. */
  @Benchmark
  public void plainPool(PlainPool p) throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(BATCH);
    for (int i = 0; i < BATCH; i++) {
      Integer args = ARGS;
      p.pool.execute(() -> {
        noop(args);
        latch.countDown();
      });
    }
    latch.await();
  }

  /** The task's work: nothing. The pools' tasks pass it their argument, as Errand's get theirs. */
  private static void noop(Integer args) {
    // no work
  }
}
