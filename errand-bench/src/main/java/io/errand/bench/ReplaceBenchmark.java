package io.errand.bench;

import io.errand.api.Errand;
import io.errand.api.Supervisor;
import io.errand.api.SupervisorSpec;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency of replacing a running keyed worker whose handler stops promptly: Errand's
 * {@code supervisor.put(key, newArgs)} (stop the old instance, await it, start the new) beside
 * the same done by hand, a {@code ConcurrentHashMap<String, Future>} with {@code cancel(true)}
 * and a wait for the old worker to exit (without that wait the hand-made version could run two
 * workers for one key, which is what a supervisor exists to prevent). Both run their workers on
 * virtual threads, 100 keys, one replace per operation, round-robin over the keys.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ReplaceBenchmark {
  static final int KEYS = 100;

  /** Errand: one supervisor, 100 keys, handlers that stop when asked. */
  @State(Scope.Benchmark)
  public static class ErrandKeys {
    Errand errand;
    Supervisor supervisor;
    int next;
    long version;

    @Setup(Level.Trial)
    public void start() {
      SupervisorSpec<Long> spec = SupervisorSpec.builder("conn", Long.class, ctx -> {
        CountDownLatch stop = new CountDownLatch(1);
        ctx.onCancel(stop::countDown);
        stop.await();
      }).build();
      errand = Errand.builder().supervisor(spec).build();
      supervisor = errand.supervisor("conn");
      for (int i = 0; i < KEYS; i++) {
        supervisor.put("k" + i, 0L);
      }
    }

    @TearDown(Level.Trial)
    public void stop() {
      errand.close();
    }
  }

  /** By hand: a map of futures, cancel(true), and a latch to await the old worker's exit. */
  @State(Scope.Benchmark)
  public static class HandMadeKeys {
    record Running(Future<?> future, CountDownLatch exited) {}

    final ConcurrentHashMap<String, Running> workers = new ConcurrentHashMap<>();
    ExecutorService executor;
    int next;

    @Setup(Level.Trial)
    public void start() {
      executor = Executors.newVirtualThreadPerTaskExecutor();
      for (int i = 0; i < KEYS; i++) {
        workers.put("k" + i, launch());
      }
    }

    Running launch() {
      CountDownLatch exited = new CountDownLatch(1);
      Future<?> f = executor.submit(() -> {
        try {
          new CountDownLatch(1).await(); // blocked until interrupted
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          exited.countDown();
        }
      });
      return new Running(f, exited);
    }

    /** Replaces a key's worker; per-key atomicity comes from compute's lock on the key. */
    void replace(String key) {
      workers.compute(key, (k, old) -> {
        if (old != null) {
          old.future().cancel(true);
          try {
            old.exited().await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return launch();
      });
    }

    @TearDown(Level.Trial)
    public void stop() {
      executor.shutdownNow();
    }
  }

  /** One replace through Errand's supervisor. */
  @Benchmark
  public Object errand(ErrandKeys s) {
    return s.supervisor.put("k" + (s.next++ % KEYS), ++s.version);
  }

  /** One replace by hand. */
  @Benchmark
  public void handMade(HandMadeKeys s) {
    s.replace("k" + (s.next++ % KEYS));
  }
}
