package io.errand.bench.durable;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Durable submit latency: how long {@code errand.submit} takes to return (after the commit
 * that holds the task) with 1, 4 and 16 threads submitting at once, as fast as they can, on
 * {@link SqliteStore} with {@code synchronous} FULL and NORMAL. The queue's workers run the
 * no-op tasks meanwhile, so the store's writer also commits their claims and ends, as in
 * steady use. Each configuration gets a fresh file and a fresh Errand, a warm-up of
 * {@code --warmup} submits, then {@code --submits} timed ones shared among the threads.
 *
 * <pre>
 * errand-bench/run.sh submit-latency [--threads 1,4,16] [--sync FULL,NORMAL]
 *     [--submits 20000] [--warmup 5000] [--workers 8]
 * </pre>
 */
public final class SubmitLatency {
  private SubmitLatency() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--threads", "1,4,16",
        "--sync", "FULL,NORMAL", "--submits", "20000", "--warmup", "5000", "--workers", "8"));
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
      opts.put(args[i], args[i + 1]);
    }
    int submits = Integer.parseInt(opts.get("--submits"));
    int warmup = Integer.parseInt(opts.get("--warmup"));
    int workers = Integer.parseInt(opts.get("--workers"));
    System.out.println("# submit latency, " + Runtime.version() + ", workers=" + workers
        + ", warm-up JVM run first (not reported)");
    measure(SqliteStore.Synchronous.FULL, 4, warmup, workers, 0); // JIT warm-up of the JVM
    System.out.println("| synchronous | threads | submits | p50 µs | p90 µs | p99 µs | p99.9 µs "
        + "| max µs | submits/s | load before / after |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (String sync : opts.get("--sync").split(",")) {
      for (String t : opts.get("--threads").split(",")) {
        String row = measure(SqliteStore.Synchronous.valueOf(sync), Integer.parseInt(t), submits,
            workers, warmup);
        System.out.println(row);
      }
    }
  }

  /** One configuration on a fresh file; returns its table row. */
  private static String measure(SqliteStore.Synchronous sync, int threads, int submits,
      int workers, int warmup) throws Exception {
    Path dir = Files.createTempDirectory("errand-latency-");
    String loadBefore = Machine.load();
    Errand errand = Errand.builder()
        .store(SqliteStore.builder(dir.resolve("errand.db")).synchronous(sync).build())
        .queue(QueueSpec.builder("noop", Integer.class, ctx -> null)
            .workers(workers).capacity(1_000_000).build())
        .build();
    try {
      PgLatency.timedSubmits(errand, "noop", threads, warmup);
      long start = System.nanoTime();
      long[] samples = PgLatency.timedSubmits(errand, "noop", threads, submits);
      double seconds = (System.nanoTime() - start) / 1e9;
      Percentiles p = new Percentiles(samples);
      return String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f | "
              + "%.0f | %s / %s |", sync, threads, p.count(), p.at(0.50) / 1e3,
          p.at(0.90) / 1e3, p.at(0.99) / 1e3, p.at(0.999) / 1e3, p.max() / 1e3,
          submits / seconds, loadBefore, Machine.load());
    } finally {
      errand.shutdown(Duration.ofSeconds(30));
      Dirs.deleteQuietly(dir);
    }
  }
}
