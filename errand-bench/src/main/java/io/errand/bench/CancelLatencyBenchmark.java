package io.errand.bench;

import io.errand.api.CancelResult;
import io.errand.api.QueueSpec;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cancel → handler stopped, as a distribution (JMH sample mode: read p50 and p99), for
 * {@code Errand.cancel(id, reason)} beside {@code Future.cancel(true)} on a
 * {@link ThreadPoolExecutor}.
 *
 * <p>Before each invocation (outside the measured time) one task is submitted and the
 * benchmark waits until its handler runs and is blocked in {@link #block}: a
 * {@link Thread#sleep} that only an interrupt ends. The measured invocation cancels it and
 * spins until the handler's finally block stamps {@link Probe#stopped()}: the time from the
 * cancel call until the handler has really stopped running, which is what frees its worker
 * and its resources.
 *
 * <p>Fairness: one worker each, the same blocking handler, the same stop condition. Errand runs
 * with full tracking ({@link TrackedErrand}); it records the task CANCELLED right after the
 * handler returns, on the worker, after the measured point. Errand uses its default virtual
 * threads unless {@code -p threads=PLATFORM} is given; the pool uses platform threads.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CancelLatencyBenchmark {

  /** The handler of both subjects: stamp the start, block until interrupted, stamp the stop. */
  static void block(Probe probe) throws InterruptedException {
    probe.started();
    try {
      Thread.sleep(60_000);
    } finally {
      probe.stopped();
    }
  }

  /** Errand with one worker, holding one blocked task before each invocation. */
  @State(Scope.Benchmark)
  public static class ErrandQueue {
    @Param({"VIRTUAL"})
    public QueueSpec.Threads threads;

    TrackedErrand<Probe> errand;
    Probe probe;
    long id;

    @Setup(Level.Trial)
    public void start() {
      errand = TrackedErrand.ofProbes(ctx -> {
        block(ctx.args());
        return null;
      }, 1, threads, 1_000);
    }

    @Setup(Level.Invocation)
    public void startBlockedTask() {
      probe = new Probe();
      id = errand.submit(probe);
      probe.awaitStartedQuietly();
    }

    @TearDown(Level.Trial)
    public void stop() {
      System.out.println();
      System.out.println(errand.settleAndDescribe());
      System.out.println(errand.shutdownAndDescribe());
    }
  }

  /** A one-thread pool, holding one blocked task before each invocation. */
  @State(Scope.Benchmark)
  public static class Pool {
    ThreadPoolExecutor pool;
    Probe probe;
    Future<?> future;

    @Setup(Level.Trial)
    public void start() {
      pool = Pools.fixed("cancel-pool", 1);
    }

    @Setup(Level.Invocation)
    public void startBlockedTask() {
      Probe p = new Probe();
      probe = p;
      future = pool.submit(() -> {
        block(p);
        return null;
      });
      p.awaitStartedQuietly();
    }

    @TearDown(Level.Trial)
    public void stop() {
      Pools.stop(pool);
    }
  }

  /** Errand: cancel the blocked task, then wait for its handler to stop. */
  @Benchmark
  public long errand(ErrandQueue q) {
    CancelResult r = q.errand.errand().cancel(q.id, "benchmark");
    if (!(r instanceof CancelResult.Stopping)) {
      throw new IllegalStateException("expected the running task to be stopping, got " + r);
    }
    return q.probe.awaitStopped();
  }

  /** Thread pool: cancel the blocked task's future with interrupt, then wait for it to stop. */
  @Benchmark
  public long threadPool(Pool q) {
    if (!q.future.cancel(true)) {
      throw new IllegalStateException("expected the running task's future to be cancellable");
    }
    return q.probe.awaitStopped();
  }
}
