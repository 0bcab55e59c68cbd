package io.errand.bench;

import io.errand.api.QueueSpec;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
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
 * Because that gap makes invocations slow, each subject first runs {@value #PRE_WARM_TASKS}
 * tasks back to back ({@link #preWarm}) so that the measured code is compiled, as it is in a
 * long-running service.
 *
 * <p>Fairness: same number of workers, same task (its argument is its probe), same wait; Errand
 * runs with full tracking ({@link TrackedErrand}, so submit also records the task and publishes
 * ADDED) on its default virtual threads unless {@code -p threads=PLATFORM} is given; the pool
 * uses platform threads.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LatencyBenchmark {
  /** The quiet time before each submit, in microseconds. */
  public static final long IDLE_GAP_MICROS = 1_000;
  /** Tasks each subject runs back to back before JMH's own warm-up, to get its code compiled. */
  public static final int PRE_WARM_TASKS = 20_000;

  /**
   * Runs {@value #PRE_WARM_TASKS} tasks through {@code submit} one after the other. With the
   * idle gap, JMH's warm-up alone would run only a few thousand tasks, too few for the JIT to
   * compile a subject's whole path, and the figures would then measure the interpreter.
   */
  static void preWarm(Consumer<Probe> submit) {
    for (int i = 0; i < PRE_WARM_TASKS; i++) {
      Probe p = new Probe();
      submit.accept(p);
      p.awaitStarted();
    }
  }

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
      errand = TrackedErrand.ofProbes(ctx -> {
        ctx.args().started();
        return null;
      }, workers, threads, 100_000);
      preWarm(errand::submit);
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
      System.out.println(errand.shutdownAndDescribe());
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
      preWarm(p -> pool.execute(p::started));
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
