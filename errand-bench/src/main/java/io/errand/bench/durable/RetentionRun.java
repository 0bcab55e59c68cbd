package io.errand.bench.durable;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.bench.HeapMeter;
import io.errand.sqlite.SqliteStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Retention flatness: Errand on {@link SqliteStore} under a steady load of {@code --rate}
 * no-op tasks per second for {@code --minutes}, with a short queue retention
 * ({@code --retention} seconds), so the retention sweep removes finished tasks as fast as they
 * come. Every {@code --sample} seconds it records the database file's size, the WAL's size,
 * the rows in the file, and the live heap (after garbage collection, from the
 * {@code MemoryMXBean}); at the end it prints the samples at the start (the first one after
 * twice the retention, once the retained window is full), the middle and the end, and the
 * maximum of each. Flat means bounded: the end is no higher than the maximum of the first
 * half, give or take the window's noise.
 *
 * <pre>
 * errand-bench/run.sh retention [--minutes 15] [--rate 2000] [--retention 10] [--sample 5]
 *     [--workers 8] [--submitters 4] [--sync FULL] [--csv FILE]
 * </pre>
 */
public final class RetentionRun {
  /** One sample. */
  record Sample(double seconds, long submitted, long ran, long rows, long dbBytes,
      long walBytes, long heapBytes, String load) {
    String csv() {
      return String.format(Locale.ROOT, "%.0f,%d,%d,%d,%d,%d,%d,\"%s\"", seconds, submitted,
          ran, rows, dbBytes, walBytes, heapBytes, load);
    }
  }

  private RetentionRun() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--minutes", "15", "--rate", "2000",
        "--retention", "10", "--sample", "5", "--workers", "8", "--submitters", "4",
        "--sync", "FULL", "--csv", "retention.csv"));
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
      opts.put(args[i], args[i + 1]);
    }
    double minutes = Double.parseDouble(opts.get("--minutes"));
    int rate = Integer.parseInt(opts.get("--rate"));
    int retention = Integer.parseInt(opts.get("--retention"));
    int sampleSeconds = Integer.parseInt(opts.get("--sample"));
    int submitters = Integer.parseInt(opts.get("--submitters"));
    Path dir = Files.createTempDirectory("errand-retention-");
    Path db = dir.resolve("errand.db");
    AtomicLong ran = new AtomicLong();
    System.out.println("# retention run: " + opts + ", " + HeapMeter.describeJvm() + ", load "
        + Machine.load());
    Errand errand = Errand.builder()
        .store(SqliteStore.builder(db)
            .synchronous(SqliteStore.Synchronous.valueOf(opts.get("--sync"))).build())
        .queue(QueueSpec.builder("steady", Integer.class, ctx -> {
          ran.incrementAndGet();
          return null;
        }).workers(Integer.parseInt(opts.get("--workers"))).capacity(1_000_000)
            .retention(Duration.ofSeconds(retention)).build())
        .build();
    long start = System.nanoTime();
    long end = start + (long) (minutes * 60e9);
    AtomicLong submitted = new AtomicLong();
    List<Thread> pacers = new ArrayList<>();
    for (int k = 0; k < submitters; k++) {
      pacers.add(Thread.ofPlatform().name("pacer-" + k).start(
          () -> pace(errand, start, end, (double) rate / submitters, submitted)));
    }
    List<Sample> samples = new ArrayList<>();
    try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db);
         PrintStream csv = new PrintStream(Files.newOutputStream(Path.of(opts.get("--csv"))))) {
      try (Statement s = reader.createStatement()) {
        s.execute("PRAGMA query_only = 1");
        s.execute("PRAGMA busy_timeout = 10000");
      }
      csv.println("seconds,submitted,ran,rows,db_bytes,wal_bytes,heap_bytes,load");
      long next = start;
      while (System.nanoTime() < end) {
        next += TimeUnit.SECONDS.toNanos(sampleSeconds);
        LockSupport.parkNanos(next - System.nanoTime());
        long heap = HeapMeter.liveBytes();
        Sample s = new Sample((System.nanoTime() - start) / 1e9, submitted.get(), ran.get(),
            rows(reader), size(db), size(dir.resolve("errand.db-wal")), heap, Machine.load());
        samples.add(s);
        csv.println(s.csv());
        csv.flush();
        System.out.printf(Locale.ROOT, "%5.0f s: submitted %d (%.0f/s), ran %d, rows %d, "
                + "db %.1f MiB, wal %.1f MiB, heap %.1f MiB, load %s%n", s.seconds(),
            s.submitted(), s.submitted() / s.seconds(), s.ran(), s.rows(), mib(s.dbBytes()),
            mib(s.walBytes()), mib(s.heapBytes()), s.load());
      }
    }
    for (Thread t : pacers) {
      t.join();
    }
    errand.shutdown(Duration.ofSeconds(30));
    summarize(samples, 2.0 * retention);
    Dirs.deleteQuietly(dir);
  }

  /** Submits at {@code perSecond} from {@code start} until {@code end}, catching up if late. */
  private static void pace(Errand errand, long start, long end, double perSecond,
      AtomicLong submitted) {
    long mine = 0;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        return;
      }
      long due = (long) ((now - start) / 1e9 * perSecond);
      if (mine >= due) {
        LockSupport.parkNanos(200_000);
        continue;
      }
      errand.submit("steady", (int) mine);
      mine++;
      submitted.incrementAndGet();
    }
  }

  private static void summarize(List<Sample> all, double settleSeconds) {
    List<Sample> s = all.stream().filter(x -> x.seconds() >= settleSeconds).toList();
    if (s.isEmpty()) {
      System.out.println("no sample after " + settleSeconds + " s");
      return;
    }
    Sample first = s.getFirst();
    Sample middle = s.get(s.size() / 2);
    Sample last = s.getLast();
    System.out.println();
    System.out.println("| sample | seconds | tasks submitted | rows in file | db file MiB | WAL MiB "
        + "| live heap MiB | load |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (var e : Map.of("start", first, "middle", middle, "end", last).entrySet().stream()
        .sorted(Map.Entry.comparingByValue((a, b) -> Double.compare(a.seconds(), b.seconds())))
        .toList()) {
      Sample x = e.getValue();
      System.out.printf(Locale.ROOT, "| %s | %.0f | %d | %d | %.2f | %.2f | %.1f | %s |%n",
          e.getKey(), x.seconds(), x.submitted(), x.rows(), mib(x.dbBytes()),
          mib(x.walBytes()), mib(x.heapBytes()), x.load());
    }
    System.out.printf(Locale.ROOT, "| max (after %.0f s) | | | %d | %.2f | %.2f | %.1f | |%n",
        settleSeconds, s.stream().mapToLong(Sample::rows).max().orElse(0),
        mib(s.stream().mapToLong(Sample::dbBytes).max().orElse(0)),
        mib(s.stream().mapToLong(Sample::walBytes).max().orElse(0)),
        mib(s.stream().mapToLong(Sample::heapBytes).max().orElse(0)));
    Sample lastRun = all.getLast();
    System.out.printf(Locale.ROOT, "achieved rate %.0f tasks/s; ran %d of %d submitted%n",
        lastRun.submitted() / lastRun.seconds(), lastRun.ran(), lastRun.submitted());
  }

  private static long rows(Connection reader) throws SQLException {
    try (Statement st = reader.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM tasks")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
