package io.errand.bench;

import io.errand.api.QueueSpec;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Submit → handler start on an idle queue, as a distribution (JMH sample mode: read p50 and
 * p99), for Errand beside a {@link ThreadPoolExecutor}.
 *
 * <p>Each measured invocation submits one task whose handler's first act is to stamp
 * {@link Probe#started()}, then spins until it sees the stamp: the measured time runs from just
 * before the submit call to the handler's start, plus under a microsecond of spin detection.
 * Before each invocation (outside the measured time) the benchmark waits {@value #IDLE_GAP_MICROS}
 * µs, so that the worker has gone back to sleep and the queue is idle: this measures the wake-up
 * path a task takes when it arrives at a quiet queue, which is where the latency target applies.
 *
 * <p>Fairness: same number of workers, same task (its argument is its probe), same wait; Errand
 * runs with full tracking ({@link TrackedErrand}, so submit also records the task and publishes
 * ADDED) on its default virtual threads unless {@code -p threads=PLATFORM} is given; the pool
 * uses platform threads.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LatencyBenchmark {
  /** The quiet time before each submit, in microseconds. */
  public static final long IDLE_GAP_MICROS = 1_000;

  /** Errand whose handler stamps its probe. */
  @State(Scope.Benchmark)
  public static class ErrandQueue {
    @Param({"1"})
    public int workers;
    @Param({"VIRTUAL"})
    public QueueSpec.Threads threads;

    TrackedErrand<Probe> errand;
    Probe probe;

    @Setup(Level.Trial)
    public void start() {
      errand = new TrackedErrand<>(Probe.class, ctx -> {
        ctx.args().started();
        return null;
      }, workers, threads, 100_000);
    }

    @Setup(Level.Invocation)
    public void idle() {
      probe = new Probe();
      LockSupport.parkNanos(IDLE_GAP_MICROS * 1_000);
    }

    @TearDown(Level.Trial)
    public void stop() {
      System.out.println();
      System.out.println(errand.settleAndDescribe());
      errand.close();
    }
  }

  /** A thread pool whose task stamps its probe. */
  @State(Scope.Benchmark)
  public static class Pool {
    @Param({"1"})
    public int workers;

    ThreadPoolExecutor pool;
    Probe probe;

    @Setup(Level.Trial)
    public void start() {
      pool = Pools.fixed("latency-pool", workers);
    }

    @Setup(Level.Invocation)
    public void idle() {
      probe = new Probe();
      LockSupport.parkNanos(IDLE_GAP_MICROS * 1_000);
    }

    @TearDown(Level.Trial)
    public void stop() {
      Pools.stop(pool);
    }
  }

  /** Errand: submit, then wait for the handler to start. */
  @Benchmark
  public long errand(ErrandQueue q) {
    Probe p = q.probe;
    q.errand.submit(p);
    return p.awaitStarted();
  }

  /** Thread pool: execute, then wait for the task to start. */
  @Benchmark
  public long threadPool(Pool q) {
    Probe p = q.probe;
    q.pool.execute(p::started);
    return p.awaitStarted();
  }
}
