package io.errand.bench.durable;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Issue 13's latencies of Errand on PostgreSQL, each on a fresh scratch database:
 *
 * <ul>
 *   <li><b>submit</b>: how long {@code errand.submit} takes (it returns after its commit) with
 *       1, 4 and 16 threads submitting at once on one node whose 8 workers run the no-ops;</li>
 *   <li><b>backlog</b>: one thread's submit with 0 and with {@code --backlog} tasks WAITING in
 *       the queue (its one worker is held by a blocking task, so nothing drains);</li>
 *   <li><b>pickup</b> and <b>cancel</b> across nodes: {@link PgCrossNode}.</li>
 * </ul>
 *
 * <pre>
 * errand-bench/run.sh pg-latency [--threads 1,4,16] [--submits 4000] [--warmup 1000]
 *     [--backlog 100000] [--probes 300] [--parts submit,backlog,pickup,cancel]
 * </pre>
 */
public final class PgLatency {
  private PgLatency() {}

  /** Runs the parts named by {@code --parts}, printing one table row each (see the class). */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--threads", "1,4,16",
        "--submits", "4000", "--warmup", "1000", "--backlog", "100000", "--probes", "300",
        "--parts", "submit,backlog,pickup,cancel"));
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; allowed: "
            + opts.keySet());
      }
      opts.put(args[i], args[i + 1]);
    }
    List<String> parts = List.of(opts.get("--parts").split(","));
    int submits = Integer.parseInt(opts.get("--submits"));
    int warmup = Integer.parseInt(opts.get("--warmup"));
    System.out.println("# Errand on PostgreSQL, " + Runtime.version() + "; latencies in µs");
    System.out.println("| measure | setting | samples | p50 | p90 | p99 | max | rate/s "
        + "| load before / after |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    if (parts.contains("submit")) {
      for (String t : opts.get("--threads").split(",")) {
        System.out.println(submitLatency(Integer.parseInt(t), submits, warmup));
      }
    }
    if (parts.contains("backlog")) {
      System.out.println(backlogLatency(0, submits / 2, warmup));
      System.out.println(backlogLatency(Integer.parseInt(opts.get("--backlog")), submits / 2,
          warmup));
    }
    int probes = Integer.parseInt(opts.get("--probes"));
    if (parts.contains("pickup")) {
      System.out.println(PgCrossNode.pickup(probes));
    }
    if (parts.contains("cancel")) {
      System.out.println(PgCrossNode.cancel(probes));
    }
    Runtime.getRuntime().halt(0);
  }

  /** A table row of durations in nanoseconds. */
  static String row(String measure, String setting, long[] nanos, double ratePerSecond,
      String loadBefore) {
    Percentiles p = new Percentiles(nanos);
    return String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | "
            + "%s / %s |", measure, setting, p.count(), p.at(0.50) / 1e3, p.at(0.90) / 1e3,
        p.at(0.99) / 1e3, p.max() / 1e3, ratePerSecond, loadBefore, Machine.load());
  }

  private static String submitLatency(int threads, int submits, int warmup) throws Exception {
    String load = Machine.load();
    try (Target.Postgres db = Target.Postgres.scratch(); PgNodes cluster = new PgNodes()) {
      Errand node = cluster.start(db, "node-0", List.of(QueueSpec.builder("noop",
          Integer.class, ctx -> null).workers(8).capacity(1_000_000).build()));
      timedSubmits(node, "noop", threads, warmup);
      long start = System.nanoTime();
      long[] times = timedSubmits(node, "noop", threads, submits);
      double seconds = (System.nanoTime() - start) / 1e9;
      return row("submit", threads + " thread(s), 8 workers", times, submits / seconds, load);
    }
  }

  private static String backlogLatency(int backlog, int submits, int warmup) throws Exception {
    String load = Machine.load();
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(1);
    try (Target.Postgres db = Target.Postgres.scratch(); PgNodes cluster = new PgNodes()) {
      Errand node = cluster.start(db, "node-0", List.of(QueueSpec.builder("q", Integer.class,
          ctx -> {
            held.countDown();
            hold.await(); // keeps the queue's one worker busy: nothing drains
            return null;
          }).workers(1).capacity(2_000_000).build()));
      node.submit("q", -1);
      held.await();
      for (int done = 0; done < backlog; done += 5_000) {
        List<Integer> chunk = new ArrayList<>(Collections.nCopies(Math.min(5_000,
            backlog - done), 0));
        node.submitBatch("q", chunk);
      }
      long waiting = node.metrics("q").waiting();
      timedSubmits(node, "q", 1, warmup);
      long start = System.nanoTime();
      long[] times = timedSubmits(node, "q", 1, submits);
      double seconds = (System.nanoTime() - start) / 1e9;
      hold.countDown();
      return row("submit with a backlog", waiting + " waiting, 1 thread", times,
          submits / seconds, load);
    }
  }

  /** {@code total} submits to {@code queue} shared by {@code threads} threads; their durations. */
  static long[] timedSubmits(Errand errand, String queue, int threads, int total)
      throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    long[][] out = new long[threads][];
    List<Thread> started = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      int share = total / threads + (k < total % threads ? 1 : 0);
      int index = k;
      started.add(Thread.ofPlatform().name("submitter-" + k).start(() -> {
        long[] times = new long[share];
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < share; i++) {
          long t0 = System.nanoTime();
          errand.submit(queue, i);
          times[i] = System.nanoTime() - t0;
        }
        out[index] = times;
      }));
    }
    go.countDown();
    for (Thread t : started) {
      t.join();
    }
    return Arrays.stream(out).flatMapToLong(Arrays::stream).toArray();
  }
}
