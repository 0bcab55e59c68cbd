package io.errand.bench;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.Supervisor;
import io.errand.api.SupervisorSpec;
import io.errand.bench.durable.Machine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does a server-sized Errand stay flat over time? {@code --idle} queues of {@code
 * --idle-workers} workers that never get a task, {@code --busy} queues of 16 workers fed a
 * steady trickle of {@code --rate} tasks per second each (a handler of ~2 ms, retention 10 s),
 * and a supervisor of {@code --keys} keys blocked as connection readers are, for {@code
 * --minutes}. After a warm-up of {@code --warmup} seconds it measures the live heap two ways:
 * the class histogram's total of live objects (exact, after the full collection the histogram
 * runs) and the heap pools' usage as the last full collection left it ({@link
 * MemoryPoolMXBean#getCollectionUsage}: not the MemoryMXBean's current "used", which also
 * counts the buffers threads allocate into right after a collection, ±1 MiB with 2,000
 * threads). It samples both every {@code --sample} seconds; flat means the end
 * is within 5% of the start by both. It also reports the live {@code
 * ConcurrentLinkedQueue$Node}s (what the idle list of the engine used to be made of, one more
 * per park) and the classes that grew most.
 *
 * <p>The warm-up must let every bounded structure fill before the baseline (the busy queues'
 * retained window of 10 s, the statistics' windows, the JIT's code): a first run measured from
 * 60 s found the heap 1 MiB higher a minute later, and level from there. Hence 180 s.
 *
 * <pre>
 * errand-bench/run.sh idle-soak [--minutes 10] [--idle 10] [--idle-workers 200] [--busy 10]
 *     [--rate 20] [--keys 100] [--warmup 180] [--sample 60]
 * </pre>
 */
public final class IdleSoak {
  private static final String NODE = "java.util.concurrent.ConcurrentLinkedQueue$Node";

  private IdleSoak() {}

  /** Runs the soak and prints one line per sample and a summary; exits 1 if not flat. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--minutes", "10", "--idle", "10",
        "--idle-workers", "200", "--busy", "10", "--rate", "20", "--keys", "100",
        "--warmup", "180", "--sample", "60"));
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + args[i]
            + " (options: " + opts.keySet() + ")");
      }
      opts.put(args[i], args[i + 1]);
    }
    int minutes = Integer.parseInt(opts.get("--minutes"));
    int idleQueues = Integer.parseInt(opts.get("--idle"));
    int idleWorkers = Integer.parseInt(opts.get("--idle-workers"));
    int busyQueues = Integer.parseInt(opts.get("--busy"));
    int rate = Integer.parseInt(opts.get("--rate"));
    int keys = Integer.parseInt(opts.get("--keys"));
    int warmup = Integer.parseInt(opts.get("--warmup"));
    int sample = Integer.parseInt(opts.get("--sample"));
    System.out.println(HeapMeter.describeJvm() + "; " + idleQueues + " idle queues x "
        + idleWorkers + " workers, " + busyQueues + " busy queues x 16 workers at " + rate
        + " tasks/s each, " + keys + " supervised keys; " + minutes + " min after a " + warmup
        + " s warm-up");

    Errand.Builder builder = Errand.builder();
    for (int q = 0; q < idleQueues; q++) {
      builder.queue(QueueSpec.builder("idle-" + q, Integer.class, ctx -> ctx.args())
          .workers(idleWorkers).build());
    }
    for (int q = 0; q < busyQueues; q++) {
      builder.queue(QueueSpec.builder("busy-" + q, Integer.class, ctx -> {
        Thread.sleep(2); // a short piece of I/O
        return ctx.args();
      }).workers(16).retention(Duration.ofSeconds(10)).build());
    }
    CountDownLatch keysUp = new CountDownLatch(keys);
    builder.supervisor(SupervisorSpec.builder("conn", Integer.class, ctx -> {
      CountDownLatch stop = new CountDownLatch(1);
      ctx.onCancel(stop::countDown);
      keysUp.countDown();
      stop.await(); // blocked, as on a socket read
    }).build());

    AtomicLong submitted = new AtomicLong();
    boolean flat;
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    try (Errand errand = builder.build()) {
      Supervisor conn = errand.supervisor("conn");
      for (int k = 0; k < keys; k++) {
        conn.put("account-" + k, k);
      }
      keysUp.await();
      long periodMicros = 1_000_000L / rate;
      pacer.scheduleAtFixedRate(() -> {
        for (int q = 0; q < busyQueues; q++) {
          errand.submit("busy-" + q, (int) submitted.incrementAndGet());
        }
      }, 0, periodMicros, TimeUnit.MICROSECONDS);

      Thread.sleep(warmup * 1000L);
      long t0 = System.nanoTime();
      ClassCounts before = ClassCounts.take();
      long startHeap = heapAfterGc();
      report("start", 0, before, startHeap, submitted.get());

      long end = t0 + TimeUnit.MINUTES.toNanos(minutes);
      long next = t0 + TimeUnit.SECONDS.toNanos(sample);
      while (next < end) {
        TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
        report("sample", seconds(t0), ClassCounts.take(), heapAfterGc(),
            submitted.get());
        next += TimeUnit.SECONDS.toNanos(sample);
      }
      TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
      ClassCounts after = ClassCounts.take();
      long endHeap = heapAfterGc();
      report("end", seconds(t0), after, endHeap, submitted.get());

      boolean objectsFlat = verdict("live objects (class histogram)", before.totalBytes(),
          after.totalBytes());
      boolean heapFlat = verdict("heap after GC (heap pools' collection usage)", startHeap,
          endHeap);
      flat = objectsFlat && heapFlat;
      System.out.printf(Locale.ROOT, "%s: %,d -> %,d%n", NODE, before.instances(NODE),
          after.instances(NODE));
      System.out.print("grew most (bytes, instances):\n" + after.grownSince(before, 8));
      pacer.shutdownNow(); // before the engine closes, so no submit meets a closed engine
    } finally {
      pacer.shutdownNow();
    }
    if (!flat) {
      System.exit(1);
    }
  }

  private static void report(String what, double seconds, ClassCounts objects, long heap,
      long tasks) {
    System.out.printf(Locale.ROOT, "%-6s %6.0f s  live objects %6.2f MiB  heap after GC %6.2f "
        + "MiB  CLQ nodes %,9d  tasks submitted %,9d  load %s%n", what, seconds,
        mib(objects.totalBytes()), mib(heap), objects.instances(NODE), tasks, Machine.load());
  }

  /** Runs a full collection and sums what it left in the heap's pools. */
  private static long heapAfterGc() {
    System.gc();
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (after != null) {
        used += after.getUsed();
      }
    }
    return used;
  }

  private static boolean verdict(String what, long start, long end) {
    double change = 100.0 * (end - start) / start;
    boolean flat = Math.abs(change) <= 5.0;
    System.out.printf(Locale.ROOT, "%s: %.2f MiB -> %.2f MiB (%+.1f%%): %s%n", what,
        mib(start), mib(end), change, flat ? "FLAT (within 5%)" : "NOT FLAT");
    return flat;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double mib(long bytes) {
    return bytes / 1048576.0;
  }
}
