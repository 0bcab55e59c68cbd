package io.errand.bench.durable;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.memory.MemoryStore;
import io.errand.spi.GroupKind;
import io.errand.spi.NewTask;
import io.errand.spi.TaskStore;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a backlog of delayed tasks costs (issue 12, item 10): with 0, 100,000 and 1,000,000
 * tasks waiting that are due only tomorrow, how long a single-thread submit of one more such
 * task takes (p50, p99), and how fast the queue drains 10,000 tasks that all become due at
 * once. The store should not care about tasks that are not due: the figures at each backlog
 * should match the empty one's.
 *
 * <p>Each store and backlog gets a fresh store (SQLite: a fresh file, synchronous NORMAL) and a
 * fresh Errand with one queue of {@code --workers} workers. The backlog is put in through the
 * store's group insert, 10,000 tasks at a time (the quickest way in; those rows are the same as
 * submitted ones but for their group, which matters only when a group's task ends). The timed
 * submits go through {@code errand.submit}, each waking an idle worker that then finds nothing
 * due: the case that was slow. The drain's tasks are submitted one by one (not as a group:
 * each end of a group's task counts the group), all due at one instant {@code --lead} seconds later, so
 * they become due together while the backlog waits; the drain time
 * runs from the first of their handlers to start to the last (the wake-up at their due time is
 * the engine's timer, not the store's cost). The drain runs {@code --rounds} times (each round's
 * tasks stay in the store, finished); the median rate is reported with the range.
 *
 * <pre>
 * errand-bench/run.sh backlog [--stores memory,sqlite] [--backlogs 0,100000,1000000]
 *     [--submits 2000] [--drain 10000] [--rounds 3] [--workers 8] [--lead 15]
 * </pre>
 */
public final class BacklogRun {
  private static final int CHUNK = 10_000;
  private static final Duration TOMORROW = Duration.ofDays(1);
  /** The warm-up's lead: it has no backlog, so its submits are quick. */
  private static final Duration WARM_UP_LEAD = Duration.ofSeconds(15);

  private BacklogRun() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--stores", "memory,sqlite",
        "--backlogs", "0,100000,1000000", "--submits", "2000", "--drain", "10000",
        "--rounds", "3", "--workers", "8", "--lead", "15"));
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + args[i]
            + " (options: " + opts.keySet() + ")");
      }
      opts.put(args[i], args[i + 1]);
    }
    int submits = Integer.parseInt(opts.get("--submits"));
    int drain = Integer.parseInt(opts.get("--drain"));
    int workers = Integer.parseInt(opts.get("--workers"));
    int rounds = Integer.parseInt(opts.get("--rounds"));
    Duration lead = Duration.ofSeconds(Long.parseLong(opts.get("--lead")));
    System.out.println("# delayed backlog, " + Runtime.version() + ", workers=" + workers
        + ", submits=" + submits + ", drain=" + drain + " x " + rounds
        + " (median, min-max), warm-up run first (not reported)");
    for (String store : opts.get("--stores").split(",")) {
      measure(store, 0, Math.min(submits, 500), drain, 1, workers, // JIT warm-up
          lead.compareTo(WARM_UP_LEAD) < 0 ? lead : WARM_UP_LEAD);
    }
    System.out.println("| store | delayed backlog | submit p50 µs | submit p99 µs | drain "
        + "tasks/s, median (min–max) | load before / after |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (String store : opts.get("--stores").split(",")) {
      for (String backlog : opts.get("--backlogs").split(",")) {
        System.out.println(measure(store, Integer.parseInt(backlog), submits, drain, rounds,
            workers, lead));
      }
    }
  }

  /** One store and backlog, fresh; returns its table row. */
  private static String measure(String kind, int backlog, int submits, int drain, int rounds,
      int workers, Duration lead) throws Exception {
    Path dir = Files.createTempDirectory("errand-backlog-");
    TaskStore store = switch (kind) {
      case "memory" -> new MemoryStore();
      case "sqlite" -> SqliteStore.builder(dir.resolve("errand.db"))
          .synchronous(SqliteStore.Synchronous.NORMAL).build();
      default -> throw new IllegalArgumentException("unknown store " + kind
          + " (memory or sqlite)");
    };
    AtomicReference<Drain> round = new AtomicReference<>(new Drain(0));
    Errand errand = Errand.builder()
        .store(store)
        .queue(QueueSpec.builder("q", Integer.class, ctx -> {
          round.get().ran();
          return null;
        }).workers(workers).capacity(Integer.MAX_VALUE).build())
        .build();
    try {
      insert(store, backlog, Instant.now().plus(TOMORROW));
      if (kind.equals("sqlite")) {
        checkpoint(dir.resolve("errand.db"));
      }
      String loadBefore = Machine.load();
      long[] times = new long[submits];
      SubmitOptions later = SubmitOptions.delayed(TOMORROW);
      for (int i = 0; i < submits; i++) {
        long t0 = System.nanoTime();
        errand.submit("q", i, later);
        times[i] = System.nanoTime() - t0;
      }
      Percentiles p = new Percentiles(times);
      double[] rates = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        Drain d = new Drain(drain);
        round.set(d);
        Instant due = Instant.now().plus(lead);
        SubmitOptions then = new SubmitOptions(null, due, 0, null);
        for (int i = 0; i < drain; i++) {
          errand.submit("q", i, then);
        }
        if (Instant.now().isAfter(due)) {
          throw new IllegalStateException("submitting the drain's tasks took longer than "
              + lead + ": the drain would overlap them; raise --lead");
        }
        rates[r] = d.rate();
      }
      Arrays.sort(rates);
      return String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.0f (%.0f–%.0f) | %s / %s |",
          kind, backlog, p.at(0.50) / 1e3, p.at(0.99) / 1e3, rates[rounds / 2], rates[0],
          rates[rounds - 1], loadBefore, Machine.load());
    } finally {
      errand.shutdown(Duration.ofSeconds(30));
      Dirs.deleteQuietly(dir);
    }
  }

  /** One drain: when its first and last handlers ran, and how many are still to run. */
  private static final class Drain {
    final int tasks;
    final CountDownLatch left;
    final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong last = new AtomicLong();

    Drain(int tasks) {
      this.tasks = tasks;
      left = new CountDownLatch(tasks);
    }

    void ran() {
      long now = System.nanoTime();
      first.accumulateAndGet(now, Math::min);
      last.accumulateAndGet(now, Math::max);
      left.countDown();
    }

    /** Tasks per second from the first handler to the last, once all ran. */
    double rate() throws InterruptedException {
      if (!left.await(30, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the drain did not end in 30 minutes");
      }
      return tasks / ((last.get() - first.get()) / 1e9);
    }
  }

  /**
   * Copies the bulk load's log into the file and empties it, as the writer's checkpoints would
   * long have done for a backlog that built up over time; otherwise the first drain pays for
   * moving the whole backlog out of the log.
   */
  private static void checkpoint(Path file) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 60000");
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
  }

  /** {@code n} tasks of queue {@code q} due at {@code runAt}, in groups of {@link #CHUNK}. */
  private static void insert(TaskStore store, int n, Instant runAt) {
    Instant now = Instant.now();
    for (int done = 0; done < n; done += CHUNK) {
      List<NewTask> chunk = new ArrayList<>(Math.min(CHUNK, n - done));
      for (int i = done; i < Math.min(n, done + CHUNK); i++) {
        chunk.add(new NewTask("q", 0, i, now, runAt, 0, null, Integer.MAX_VALUE));
      }
      store.groups().insert(chunk, GroupKind.BATCH);
    }
  }
}
