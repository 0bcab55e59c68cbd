package io.errand.bench.durable;

import io.errand.api.Errand;
import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.Page;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.api.TaskQuery;
import io.errand.memory.MemoryStore;
import io.errand.postgres.PostgresStore;
import io.errand.sqlite.SqliteStore;
import io.errand.spi.TaskRecord;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Issue 14's schedule figures: {@code --schedules} schedules each firing every minute for
 * {@code --minutes} minutes, on PostgreSQL with two nodes in this JVM (sharing the due
 * schedules between them), on SQLite (one node, a scratch file) and on the memory store (one
 * node) as a reference. For each: the firing lag (the
 * occurrence → its task's creation, i.e. submitted), p50/p99/max, the occurrences fired twice and
 * the ones missed, both counted against the expected set (every minute from each schedule's
 * first occurrence to the one it waits for once the nodes are stopped), and the CPU per 1,000
 * fires (this JVM's, plus, on PostgreSQL, the server backends of the run's database). The
 * schedules start at the measured window's start, a whole minute after they are all made; lag
 * and CPU cover the occurrences due within the window.
 *
 * <p>{@code --spread even} gives schedule {@code i} the anchor {@code i × 60 s / schedules}
 * (fires spread over the minute); {@code aligned} fires them all at second 0 of each minute
 * (the worst case, {@code * * * * *} on every schedule).
 *
 * <p>Options: {@code --schedules 10000 --minutes 10 --spread even --stores pg,memory}
 * ({@code --stores} takes any of {@code pg}, {@code sqlite}, {@code memory}, comma-separated)..
 */
public final class ScheduleRun {
  private static final String QUEUE = "scheduled";
  /** How many threads make the schedules. */
  private static final int MAKERS = 8;

  private ScheduleRun() {}

  /** Runs each store in turn and prints a Markdown row per store. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--schedules", "10000", "--minutes",
        "10", "--spread", "even", "--stores", "pg,memory"));
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value " + args[i]
            + "; allowed: " + opts.keySet());
      }
      opts.put(args[i], args[i + 1]);
    }
    int schedules = Integer.parseInt(opts.get("--schedules"));
    int minutes = Integer.parseInt(opts.get("--minutes"));
    String spread = opts.get("--spread");
    if (!spread.equals("even") && !spread.equals("aligned")) {
      throw new IllegalArgumentException("--spread must be even or aligned, was " + spread);
    }
    System.out.println("| store | nodes | schedules × minutes | spread | fires | lag p50 ms | "
        + "p99 ms | max ms | duplicates | missed | behind at end | CPU ms / 1,000 fires (JVM + PostgreSQL) | "
        + "load before / after |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- "
        + "| --- |");
    for (String store : opts.get("--stores").split(",")) {
      String load = Machine.load();
      Result r = switch (store) {
        case "pg" -> onPostgres(schedules, minutes, spread);
        case "memory" -> onMemory(schedules, minutes, spread);
        case "sqlite" -> onSqlite(schedules, minutes, spread);
        default -> throw new IllegalArgumentException("--stores takes pg, sqlite and memory, "
            + "not " + store);
      };
      System.out.println(r.row(store, schedules, minutes, spread, load));
    }
    Runtime.getRuntime().halt(0);
  }

  private static QueueSpec<?, ?> queue() {
    return QueueSpec.builder(QUEUE, Integer.class, ctx -> null).workers(8).build();
  }

  /**
   * The start of the measured window: the next whole minute at least {@code n / 100} seconds
   * (and half a minute) away, so that making the schedules is over before their first occurrence.
   */
  private static Instant windowStart(int n) {
    return Instant.now().plusSeconds(30 + n / 100).truncatedTo(ChronoUnit.MINUTES)
        .plus(Duration.ofMinutes(1));
  }

  /**
   * The schedules, starting at {@code start}, made by {@link #MAKERS} threads at once (one
   * thread took minutes for 10,000 on PostgreSQL); the first occurrence of each.
   */
  private static Map<String, Instant> create(Errand errand, int n, String spread,
      Instant start) throws InterruptedException {
    Map<String, Instant> first = new ConcurrentHashMap<>(n * 2);
    try (ExecutorService makers = Executors.newFixedThreadPool(MAKERS)) {
      for (int m = 0; m < MAKERS; m++) {
        int from = m;
        makers.submit(() -> {
          for (int i = from; i < n; i += MAKERS) {
            long offsetMicros = spread.equals("even") ? 60_000_000L * i / n : 0;
            Schedule s = Schedule.builder("s" + i, QUEUE, ScheduleSpec.every(
                    Duration.ofMinutes(1), Instant.EPOCH.plus(offsetMicros, ChronoUnit.MICROS)))
                .args(i).start(start).missed(MissedRunPolicy.catchUp(Duration.ofHours(1)))
                .overlap(OverlapPolicy.ALLOW).build();
            first.put(s.name(), errand.schedules().create(s).nextDue());
          }
        });
      }
    }
    if (first.size() != n) {
      throw new IllegalStateException("made " + first.size() + " of " + n + " schedules");
    }
    return first;
  }

  private static Result onSqlite(int n, int minutes, String spread) throws Exception {
    Path dir = Files.createTempDirectory("errand-schedule-run");
    Path file = dir.resolve("errand.db");
    Errand errand = Errand.builder().store(SqliteStore.builder(file).build()).node("sqlite")
        .queue(queue()).build();
    Instant start = windowStart(n);
    Map<String, Instant> first = create(errand, n, spread, start);
    sleepUntil(start);
    long cpuBefore = jvmCpuMillis();
    Instant end = start.plus(Duration.ofMinutes(minutes));
    sleepUntil(end);
    long cpu = jvmCpuMillis() - cpuBefore;
    errand.close();
    Map<String, Instant> nextDue = new HashMap<>();
    List<long[]> fired = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (PreparedStatement ps = c.prepareStatement("SELECT name, next_due FROM schedules");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          nextDue.put(rs.getString(1), Instant.EPOCH.plus(rs.getLong(2), ChronoUnit.MICROS));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT key, created_at FROM tasks WHERE "
          + "key LIKE 'schedule:%'"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          fired.add(fire(rs.getString(1), Instant.EPOCH.plus(rs.getLong(2), ChronoUnit.MICROS)));
        }
      }
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
    return Result.of(first, nextDue, fired, new Window(start, end, cpu, 0), 1);
  }

  private static Result onPostgres(int n, int minutes, String spread) throws Exception {
    try (Target.Postgres db = Target.Postgres.scratch()) {
      List<Errand> nodes = new ArrayList<>();
      for (String name : List.of("node-a", "node-b")) {
        PostgresStore store = PostgresStore.builder(db.jdbcUrl()).user(Target.Postgres.USER)
            .build();
        nodes.add(Errand.builder().store(store)
            .node(name).queue(queue()).build());
      }
      Instant start = windowStart(n);
      Map<String, Instant> first = create(nodes.get(0), n, spread, start);
      sleepUntil(start);
      long[] pgBefore = backendCpuMillis(db.database());
      long cpuBefore = jvmCpuMillis();
      Instant end = start.plus(Duration.ofMinutes(minutes));
      sleepUntil(end);
      long cpu = jvmCpuMillis() - cpuBefore;
      long pg = sum(backendCpuMillis(db.database())) - sum(pgBefore);
      for (Errand e : nodes) {
        e.close();
      }
      Map<String, Instant> nextDue = new HashMap<>();
      List<long[]> fired = new ArrayList<>(); // {schedule index, occurrence µs, created µs}
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), Target.Postgres.USER, "")) {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, next_due FROM "
            + "errand.schedules"); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            nextDue.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
          }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT key, created_at FROM "
            + "errand.tasks WHERE key LIKE 'schedule:%'"); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            fired.add(fire(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
          }
        }
      }
      return Result.of(first, nextDue, fired, new Window(start, end, cpu, pg), 2);
    }
  }

  private static Result onMemory(int n, int minutes, String spread) throws Exception {
    MemoryStore store = new MemoryStore();
    Errand errand = Errand.builder().store(store).node("memory")
        .queue(queue()).build();
    Instant start = windowStart(n);
    Map<String, Instant> first = create(errand, n, spread, start);
    sleepUntil(start);
    long cpuBefore = jvmCpuMillis();
    Instant end = start.plus(Duration.ofMinutes(minutes));
    sleepUntil(end);
    long cpu = jvmCpuMillis() - cpuBefore;
    Map<String, Instant> nextDue = new HashMap<>();
    store.schedules().orElseThrow().list().forEach(s -> nextDue.put(s.name(), s.nextDue()));
    List<long[]> fired = new ArrayList<>();
    long cursor = 0;
    while (true) {
      Page<TaskRecord> page = store.tasks().list(TaskQuery.newest(TaskQuery.MAX_LIMIT)
          .inQueue(QUEUE).after(cursor));
      for (TaskRecord t : page.items()) {
        fired.add(fire(t.info().key(), t.info().createdAt()));
      }
      if (!page.hasMore()) {
        break;
      }
      cursor = page.nextCursor();
    }
    errand.close();
    return Result.of(first, nextDue, fired, new Window(start, end, cpu, 0), 1);
  }

  /** {schedule index, occurrence µs, created µs} of a task with key schedule:s<i>@<t>. */
  private static long[] fire(String key, Instant created) {
    int at = key.lastIndexOf('@');
    Instant occurrence = Instant.parse(key.substring(at + 1));
    return new long[] {Long.parseLong(key.substring("schedule:s".length(), at)),
        micros(occurrence), micros(created)};
  }

  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  private static void sleepUntil(Instant end) throws InterruptedException {
    // the measured window: nothing in this thread, the schedules fire meanwhile
    while (Instant.now().isBefore(end)) {
      Thread.sleep(Math.max(1, Duration.between(Instant.now(), end).toMillis()));
    }
  }

  private static long jvmCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
  }

  /** CPU milliseconds (user + system) of each server backend on {@code database}. */
  private static long[] backendCpuMillis(String database) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(Target.Postgres.SERVER + "postgres",
        Target.Postgres.USER, "");
        PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE "
            + "datname = ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(ProcCpu.millis(rs.getLong(1)));
        }
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  private static long sum(long[] values) {
    long s = 0;
    for (long v : values) {
      s += v;
    }
    return s;
  }

  /** The measured window and the CPU milliseconds spent in it. */
  private record Window(Instant start, Instant end, long jvmCpu, long pgCpu) {}

  /** One store's figures. */
  private record Result(int fires, long p50, long p99, long max, long duplicates, long missed,
      long behind, double cpuPerThousand, double pgPerThousand, int nodes) {
    static Result of(Map<String, Instant> first, Map<String, Instant> nextDue,
        List<long[]> fired, Window w, int nodes) {
      Map<String, Integer> perOccurrence = new HashMap<>();
      long[] lags = new long[fired.size()];
      int i = 0;
      for (long[] f : fired) {
        perOccurrence.merge(f[0] + "@" + f[1], 1, Integer::sum);
        if (f[1] >= micros(w.start()) && f[1] < micros(w.end())) {
          lags[i++] = f[2] - f[1];
        }
      }
      lags = Arrays.copyOf(lags, i);
      long duplicates = perOccurrence.values().stream().filter(c -> c > 1)
          .mapToLong(c -> c - 1).sum();
      long missed = 0;
      long behind = 0; // due before the end but not decided when the nodes stopped
      for (Map.Entry<String, Instant> e : first.entrySet()) {
        long index = Long.parseLong(e.getKey().substring(1));
        for (Instant t = e.getValue(); t.isBefore(nextDue.get(e.getKey()));
            t = t.plus(Duration.ofMinutes(1))) {
          if (!perOccurrence.containsKey(index + "@" + micros(t))) {
            missed++;
          }
        }
        for (Instant t = nextDue.get(e.getKey()); t.isBefore(w.end().minusSeconds(1));
            t = t.plus(Duration.ofMinutes(1))) {
          behind++;
        }
      }
      long inWindow = lags.length;
      Percentiles p = new Percentiles(lags);
      double cpu = inWindow == 0 ? 0 : (w.jvmCpu() + w.pgCpu()) * 1000.0 / inWindow;
      double pg = inWindow == 0 ? 0 : w.pgCpu() * 1000.0 / inWindow;
      return new Result(fired.size(), p.at(0.5) / 1000, p.at(0.99) / 1000, p.max() / 1000,
          duplicates, missed, behind, cpu, pg, nodes);
    }

    String row(String store, int schedules, int minutes, String spread, String load) {
      return String.format(Locale.ROOT, "| %s | %d | %,d × %d | %s | %,d | %d | %d | %d | %d | "
          + "%d | %d | %.0f (%.0f + %.0f) | %s / %s |", store, nodes, schedules, minutes, spread,
          fires, p50, p99, max, duplicates, missed, behind, cpuPerThousand,
          cpuPerThousand - pgPerThousand, pgPerThousand, load, Machine.load());
    }
  }
}
