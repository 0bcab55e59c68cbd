package io.errand.bench.durable;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskFilter;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.postgres.PostgresStore;
import io.errand.spi.TaskStore;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * List, search, count and failure-grouping latency with {@code --tasks} tasks in the store
 * (default 1,000,000), on SQLite and on PostgreSQL: what the dashboard's pages cost at that
 * size. The tasks are written straight in SQL after the store made its schema (a bulk insert:
 * this measures reads, not submits): four queues, created 86.4 ms apart over one day, 90%
 * SUCCESS, 5% FAILURE (seven error messages, with a stack trace), 5% WAITING delayed a day (so
 * nothing runs), a key on every tenth. Each query runs {@code --runs} times after two warm-up
 * runs; p50 and max are printed in milliseconds with the load before and after.
 *
 * <pre>
 * errand-bench/run.sh search-latency [--tasks 1000000] [--runs 15] [--stores sqlite,postgres]
 * </pre>
 */
public final class SearchLatency {
  private static final Instant BASE = Instant.parse("2030-01-01T00:00:00Z");
  private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";

  private SearchLatency() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--tasks", "1000000", "--runs", "15",
        "--stores", "sqlite,postgres"));
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; the options are "
            + opts.keySet());
      }
      opts.put(args[i], args[i + 1]);
    }
    int tasks = Integer.parseInt(opts.get("--tasks"));
    int runs = Integer.parseInt(opts.get("--runs"));
    for (String store : opts.get("--stores").split(",")) {
      switch (store) {
        case "sqlite" -> sqlite(tasks, runs);
        case "postgres" -> postgres(tasks, runs);
        default -> throw new IllegalArgumentException("--stores: sqlite or postgres, was " + store);
      }
    }
  }

  private static void sqlite(int tasks, int runs) throws Exception {
    Path dir = Files.createTempDirectory("ops-search-");
    Path file = dir.resolve("errand.db");
    try {
      try (SqliteStore made = SqliteStore.at(file); Errand e = errand(made)) {
        e.queues(); // the store is open: its schema is made
      }
      long t0 = System.nanoTime();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO tasks (queue, status, args, attempt, errors, created_at,"
              + " started_at, finished_at, run_at, key, message) WITH RECURSIVE n(i) AS (SELECT 1"
              + " UNION ALL SELECT i + 1 FROM n WHERE i < " + tasks + ") SELECT 'q' || (i % 4),"
              + " CASE i % 20 WHEN 0 THEN 'FAILURE' WHEN 1 THEN 'WAITING' ELSE 'SUCCESS' END,"
              + " '{\"user\":\"u' || i || '\",\"n\":' || i || '}', CASE i % 20 WHEN 1 THEN 0 ELSE 1"
              + " END, CASE i % 20 WHEN 0 THEN '[{\"attempt\":1,\"type\":\"java.net."
              + "SocketTimeoutException\",\"message\":\"Read timed out on shard ' || (i % 7) || '\","
              + "\"at\":' || (" + micros(BASE) + " + i * 86400) || ',\"trace\":\"java.net."
              + "SocketTimeoutException: Read timed out\\n\\tat a.B.c(B.java:1)\"}]' END, "
              + micros(BASE) + " + i * 86400, CASE WHEN i % 20 <> 1 THEN " + micros(BASE)
              + " + i * 86400 END, CASE WHEN i % 20 <> 1 THEN " + micros(BASE)
              + " + i * 86400 + 1000 END, " + micros(BASE) + " + i * 86400 + CASE i % 20 WHEN 1"
              + " THEN 86400000000 ELSE 0 END, CASE WHEN i % 10 = 3 THEN 'k' || i END,"
              + " CASE i % 20 WHEN 0 THEN 'Read timed out on shard ' || (i % 7) END FROM n");
          s.executeUpdate("UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM tasks) WHERE"
              + " name = 'tasks'");
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("ANALYZE");
        }
      }
      System.out.printf(Locale.ROOT, "# sqlite: %d tasks written in %.1f s, file %d MB%n", tasks,
          (System.nanoTime() - t0) / 1e9, Files.size(file) >> 20);
      try (SqliteStore store = SqliteStore.at(file); Errand e = errand(store)) {
        measure("sqlite", e, tasks, runs);
      }
    } finally {
      Dirs.deleteQuietly(dir);
    }
  }

  private static void postgres(int tasks, int runs) throws Exception {
    String db = "ops_search_" + ProcessHandle.current().pid();
    admin("CREATE DATABASE " + db);
    String url = "jdbc:postgresql://127.0.0.1:5432/" + db;
    try {
      try (PostgresStore made = PostgresStore.builder(url).user("postgres").build();
           Errand e = errand(made)) {
        e.queues();
      }
      long t0 = System.nanoTime();
      try (Connection c = DriverManager.getConnection(url, "postgres", null);
           PreparedStatement ps = c.prepareStatement("INSERT INTO errand.tasks (queue, status,"
               + " args, attempt, errors, created_at, started_at, finished_at, run_at, key,"
               + " message) SELECT 'q' || (i % 4), CASE i % 20 WHEN 0 THEN 'FAILURE' WHEN 1 THEN"
               + " 'WAITING' ELSE 'SUCCESS' END, '{\"user\":\"u' || i || '\",\"n\":' || i || '}',"
               + " CASE i % 20 WHEN 1 THEN 0 ELSE 1 END, CASE i % 20 WHEN 0 THEN"
               + " '[{\"attempt\":1,\"type\":\"java.net.SocketTimeoutException\",\"message\":"
               + "\"Read timed out on shard ' || (i % 7) || '\",\"at\":' || (" + micros(BASE)
               + " + i * 86400) || ',\"trace\":\"java.net.SocketTimeoutException: Read timed out"
               + "\\n\\tat a.B.c(B.java:1)\"}]' END, t, CASE WHEN i % 20 <> 1 THEN t END, CASE"
               + " WHEN i % 20 <> 1 THEN t + interval '1 ms' END, t + CASE i % 20 WHEN 1 THEN"
               + " interval '1 day' ELSE interval '0' END, CASE WHEN i % 10 = 3 THEN 'k' || i"
               + " END, CASE i % 20 WHEN 0 THEN 'Read timed out on shard ' || (i % 7) END FROM"
               + " (SELECT i, timestamptz '2030-01-01 00:00:00+00' + i * interval '86.4 ms' AS t"
               + " FROM generate_series(1::bigint, ?) i) g");
           Statement s = c.createStatement()) {
        ps.setLong(1, tasks);
        ps.executeUpdate();
        s.execute("SELECT setval('errand.task_ids', (SELECT max(id) FROM errand.tasks))");
        s.execute("VACUUM ANALYZE errand.tasks");
      }
      System.out.printf(Locale.ROOT, "# postgres: %d tasks written in %.1f s%n", tasks,
          (System.nanoTime() - t0) / 1e9);
      try (PostgresStore store = PostgresStore.builder(url).user("postgres").build();
           Errand e = errand(store)) {
        measure("postgres", e, tasks, runs);
      }
    } finally {
      admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
  }

  private static Errand errand(TaskStore store) {
    Errand.Builder b = Errand.builder().store(store);
    for (int q = 0; q < 4; q++) {
      b.queue(QueueSpec.builder("q" + q, Object.class, ctx -> null).capacity(10_000_000).build());
    }
    return b.build();
  }

  private static void measure(String store, Errand e, int tasks, int runs) {
    Instant hour = BASE.plusSeconds(12 * 3600);
    String rareUser = "\"u" + (tasks / 2 + 7) + "\"";
    Map<String, Supplier<Object>> queries = new LinkedHashMap<>();
    queries.put("list newest 50", () -> e.list(TaskQuery.newest(50)));
    queries.put("list FAILURE 50", () -> e.list(TaskQuery.newest(50).withStatus(TaskStatus.FAILURE)));
    queries.put("list queue q1 50", () -> e.list(TaskQuery.newest(50).inQueue("q1")));
    queries.put("list FAILURE, 100th page", () -> e.list(TaskQuery.newest(50)
        .withStatus(TaskStatus.FAILURE).after(tasks - 100 * 50 * 20)));
    queries.put("search id", () -> e.search(text(String.valueOf(tasks / 2)), 50, 0));
    queries.put("search text, 1 match", () -> e.search(text(rareUser), 50, 0));
    queries.put("search text in errors, FAILURE", () -> e.search(new TaskFilter(null,
        TaskStatus.FAILURE, "shard 3", null, null), 50, 0));
    queries.put("search 1 hour range", () -> e.search(new TaskFilter(null, null, null, hour,
        hour.plusSeconds(3600)), 50, 0));
    queries.put("count FAILURE", () -> e.count(new TaskFilter(null, TaskStatus.FAILURE, null,
        null, null)));
    queries.put("count text in errors", () -> e.count(text("shard 3")));
    queries.put("failures grouped", () -> e.failures(TaskFilter.ALL, 50));
    System.out.printf(Locale.ROOT, "%-8s %-32s %9s %9s   load before -> after%n", "store",
        "query", "p50 ms", "max ms");
    for (Map.Entry<String, Supplier<Object>> q : queries.entrySet()) {
      String before = Machine.load();
      q.getValue().get();
      q.getValue().get();
      double[] ms = new double[runs];
      for (int i = 0; i < runs; i++) {
        long t = System.nanoTime();
        q.getValue().get();
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      Arrays.sort(ms);
      System.out.printf(Locale.ROOT, "%-8s %-32s %9.1f %9.1f   %s -> %s%n", store, q.getKey(),
          ms[runs / 2], ms[runs - 1], before, Machine.load());
    }
  }

  private static TaskFilter text(String text) {
    return new TaskFilter(null, null, text, null, null);
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L;
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN, "postgres", null);
         Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
