package io.errand.bench;

import io.errand.api.ConcurrencyKey;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskStatus;
import io.errand.postgres.PostgresStore;
import io.errand.spi.TaskStore;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 15's figures for per-key limits, fairness and rate limits, on memory, SQLite and
 * PostgreSQL (two nodes in one JVM, each with its own store, sharing only the database):
 * <ul>
 *   <li>{@code rate}: a queue limited to R starts per second with a backlog far larger than
 *       that, measured for S seconds after the first start: starts counted against R × S, and
 *       the most starts seen in any 1 s window (must never pass R);</li>
 *   <li>{@code fairness}: 4 workers, 10,000 tasks of tenant "big" submitted, then 10 of
 *       "small": the positions of the small tenant's starts among the starts that came after
 *       their submit returned (all 10 within the first 20 is the goal);</li>
 *   <li>{@code cost}: N tasks over 1,000 tenants, 8 workers, with and without a per-key limit
 *       of 1 by tenant: throughput of each and their ratio (≥ 0.8 is the goal).</li>
 * </ul>
 * Usage: {@code FlowRun <rate|fairness|cost|all> [store=memory,sqlite,pg] [seconds=60]
 * [rate=100] [tasks=20000]}. PostgreSQL at {@code ERRAND_PG_URL} (default: database
 * keys_bench on 127.0.0.1, user postgres), one fresh schema per run, dropped after it.
 */
public final class FlowRun {
  private static final String Q = "flow";
  private static final String PG = System.getenv().getOrDefault("ERRAND_PG_URL",
      "jdbc:postgresql://127.0.0.1:5432/keys_bench?user=postgres");
  private static final AtomicInteger RUNS = new AtomicInteger();

  /** A task's arguments: its tenant. */
  public record Job(String tenant, int n) {}

  private FlowRun() {}

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "all";
    List<String> stores = Arrays.asList((args.length > 1 ? args[1] : "memory,sqlite,pg")
        .split(","));
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    int tasks = args.length > 4 ? Integer.parseInt(args[4]) : 20_000;
    for (String store : stores) {
      if (what.equals("rate") || what.equals("all")) {
        rate(store, seconds, rate);
      }
      if (what.equals("fairness") || what.equals("all")) {
        fairness(store);
      }
      if (what.equals("cost") || what.equals("all")) {
        cost(store, tasks);
      }
    }
  }

  /** Two nodes on PostgreSQL, one Errand otherwise; the first submits. */
  private static List<Errand> nodes(String store, QueueSpec<Job, Integer> spec) throws Exception {
    List<Errand> nodes = new ArrayList<>();
    switch (store) {
      case "memory" -> nodes.add(Errand.builder().queue(spec).build());
      case "sqlite" -> {
        Path dir = Files.createTempDirectory("flowrun");
        nodes.add(Errand.builder().store(SqliteStore.at(dir.resolve("errand.db"))).queue(spec)
            .build());
      }
      case "pg" -> {
        String schema = "flowrun_" + ProcessHandle.current().pid() + "_" + RUNS.incrementAndGet();
        for (String node : List.of("node-a", "node-b")) {
          TaskStore s = PostgresStore.builder(PG).schema(schema).build();
          nodes.add(Errand.builder().store(s).node(node).queue(spec).build());
        }
      }
      default -> throw new IllegalArgumentException("store must be memory, sqlite or pg, was "
          + store);
    }
    return nodes;
  }

  private static void close(String store, List<Errand> nodes) throws Exception {
    for (Errand e : nodes) {
      e.shutdown(Duration.ofSeconds(10));
    }
    if (store.equals("pg")) {
      try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS flowrun_" + ProcessHandle.current().pid() + "_"
            + RUNS.get() + " CASCADE");
      }
    }
  }

  private static void rate(String store, int seconds, int perSecond) throws Exception {
    AtomicInteger ran = new AtomicInteger();
    QueueSpec<Job, Integer> spec = QueueSpec.builder(Q, Job.class, Integer.class, ctx -> {
      ran.incrementAndGet();
      return 0;
    }).workers(8).rateLimit(perSecond, Duration.ofSeconds(1)).build();
    List<Errand> nodes = nodes(store, spec);
    int backlog = perSecond * (seconds + 5) + 1000;
    List<Long> ids = submit(nodes.get(0), backlog, i -> new Job("t", i));
    while (ran.get() == 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds) + TimeUnit.SECONDS.toNanos(2));
    // The starts as the store recorded them (each task's startedAt, the claim's time), not
    // the handlers' own start, which a loaded machine delays by a varying amount.
    long[] all = ids.stream().map(id -> nodes.get(0).get(id).orElseThrow().startedAt())
        .filter(java.util.Objects::nonNull)
        .mapToLong(at -> at.getEpochSecond() * 1_000_000 + at.getNano() / 1000).sorted()
        .toArray();
    long end = all[0] + seconds * 1_000_000L;
    long[] t = Arrays.stream(all).filter(x -> x < end).toArray();
    int most = 0;
    for (int i = 0, j = 0; i < t.length; i++) {
      while (t[i] - t[j] >= 1_000_000) {
        j++;
      }
      most = Math.max(most, i - j + 1);
    }
    long expected = (long) perSecond * seconds;
    close(store, nodes);
    print("rate", store, String.format(Locale.ROOT, "limit %d/1s over %d s: %d starts of %d "
        + "allowed (%.2f %%), most in any 1 s window %d", perSecond, seconds, t.length, expected,
        100.0 * t.length / expected, most));
  }

  private static void fairness(String store) throws Exception {
    ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    AtomicLong mark = new AtomicLong(-1);
    AtomicInteger started = new AtomicInteger();
    List<Integer> smallAt = new java.util.concurrent.CopyOnWriteArrayList<>();
    QueueSpec<Job, Integer> spec = QueueSpec.builder(Q, Job.class, Integer.class, ctx -> {
      int n = started.incrementAndGet();
      if (ctx.args().tenant().equals("small")) {
        smallAt.add(n);
      }
      order.add(ctx.args().tenant());
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // some work, so a backlog stays
      return 0;
    }).workers(2).concurrencyKey(ConcurrencyKey.argsField("tenant")).build();
    // 4 workers in all: 2 per node on PostgreSQL, 4 on the one node otherwise
    if (!store.equals("pg")) {
      spec = spec.toBuilder().workers(4).build();
    }
    List<Errand> nodes = nodes(store, spec);
    Errand e = nodes.get(0);
    submit(e, 10_000, i -> new Job("big", i));
    while (started.get() < 100) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    List<Long> ids = new ArrayList<>();
    List<Job> small = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      small.add(new Job("small", i));
    }
    ids.addAll(e.submitBatch(Q, small).ids());
    mark.set(started.get());
    for (long id : ids) {
      TaskStatus s = e.await(id).get(5, TimeUnit.MINUTES).status();
      if (s != TaskStatus.SUCCESS) {
        throw new IllegalStateException("task " + id + " ended " + s);
      }
    }
    close(store, nodes);
    int[] after = smallAt.stream().mapToInt(n -> (int) (n - mark.get())).sorted().toArray();
    print("fairness", store, "10,000 big then 10 small, 4 workers: small started at positions "
        + Arrays.toString(after) + " after their submit returned (last "
        + after[after.length - 1] + ", goal <= 20)");
  }

  private static void cost(String store, int tasks) throws Exception {
    throughput(store, Math.min(tasks, 5000), false); // warm-up of both paths, not counted
    throughput(store, Math.min(tasks, 5000), true);
    double[] without = new double[2];
    double[] with = new double[2];
    for (int i = 0; i < 2; i++) { // alternated, so a change of the machine's load hits both
      without[i] = throughput(store, tasks, false);
      with[i] = throughput(store, tasks, true);
    }
    double a = (without[0] + without[1]) / 2;
    double b = (with[0] + with[1]) / 2;
    print("cost", store, String.format(Locale.ROOT, "%d tasks over 1,000 tenants, 8 workers%s: "
        + "without a key %.0f and %.0f/s, with per-key limit 1 %.0f and %.0f/s, ratio of the "
        + "means %.2f (goal >= 0.80)", tasks, store.equals("pg") ? " (4 per node)" : "", without[0],
        without[1], with[0], with[1], b / a));
  }

  private static double throughput(String store, int tasks, boolean limited) throws Exception {
    AtomicInteger done = new AtomicInteger();
    QueueSpec.Builder<Job, Integer> b = QueueSpec.builder(Q, Job.class, Integer.class, ctx -> {
      done.incrementAndGet(); // counted by the handler: the nodes' events would count twice
      return ctx.args().n();
    }).workers(store.equals("pg") ? 4 : 8).capacity(1_000_000);
    if (limited) {
      b.concurrencyKey(ConcurrencyKey.argsField("tenant")).perKeyConcurrency(1);
    }
    List<Errand> nodes = nodes(store, b.build());
    long t0 = System.nanoTime();
    submit(nodes.get(0), tasks, i -> new Job("t" + (i % 1000), i));
    while (done.get() < tasks) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    double perSecond = tasks / ((System.nanoTime() - t0) / 1e9);
    close(store, nodes);
    return perSecond;
  }

  private static List<Long> submit(Errand e, int n, java.util.function.IntFunction<Job> job) {
    List<Long> ids = new ArrayList<>(n);
    for (int from = 0; from < n; from += 1000) {
      List<Job> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 1000); i++) {
        batch.add(job.apply(i));
      }
      ids.addAll(e.submitBatch(Q, batch).ids());
    }
    return ids;
  }

  private static void print(String what, String store, String line) {
    System.out.println(what + " | " + store + " | " + line);
    System.out.flush();
  }
}
