package io.errand.bench.durable;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JDBC micro-measurements of the PostgreSQL write paths that docs/postgres.md chooses between
 * (issue 13), each on {@link PgPathTable} in one scratch database, each path alone, for
 * {@code --seconds} (or until its rows run out) with its own connections. The variants of a
 * path run in turn, {@code --rounds} times (interleaved, so that a change of the machine's
 * load hits every variant alike); each row gives the median and the range of the rounds:
 *
 * <ul>
 *   <li><b>insert</b>, 4 threads, one task per transaction: today's (per-queue advisory lock,
 *       read the waiting count, insert, add to the count, NOTIFY) against the same without the
 *       lock, and without the lock and the NOTIFY;</li>
 *   <li><b>group</b>, one connection writing a node's concurrent submits, N tasks per
 *       transaction and one NOTIFY: N single-row inserts sent as a JDBC batch, or one
 *       {@code INSERT ... SELECT FROM unnest(arrays)};</li>
 *   <li><b>claim</b>, 4 claimers on 40,000 due tasks: today's (mark due tasks ready, then
 *       {@code LIMIT 1 FOR UPDATE SKIP LOCKED}, two statements) against one statement claiming
 *       {@code LIMIT n};</li>
 *   <li><b>complete</b>, 4 threads ending 40,000 RUNNING tasks, each fenced by its attempt:
 *       one UPDATE per task, or one {@code UPDATE ... FROM unnest(ids, attempts, results)} per
 *       n tasks;</li>
 *   <li><b>hot</b> (not in the default parts: it writes 2,000,000 row versions per round):
 *       batched claims on a fresh table against the same table after 1,000,000 tasks went
 *       through it and stayed (finished), before and after a vacuum.</li>
 * </ul>
 *
 * <pre>
 * errand-bench/run.sh pg-paths [--seconds 4] [--rounds 3] [--parts insert,group,claim,complete]
 * </pre>
 */
public final class PgWritePaths {
  private static final String Q = PgPathTable.QUEUE;
  private static final String INSERT_ONE = "INSERT INTO paths.tasks (queue, status, args, "
      + "created_at, run_at, key, priority, ready) VALUES (?, 'WAITING', ?, ?, ?, ?, 0, true) "
      + "ON CONFLICT DO NOTHING RETURNING id";
  private static final String INSERT_UNNEST = "INSERT INTO paths.tasks (queue, status, args, "
      + "created_at, run_at, key, priority, ready) SELECT ?, 'WAITING', a, c, c, k, p, true "
      + "FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::int[]) AS u(a, c, k, p) "
      + "ON CONFLICT DO NOTHING RETURNING id";
  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";
  private static final String COUNT = "SELECT coalesce(sum(n), 0) FROM paths.waiting "
      + "WHERE queue = ?";
  private static final String ADD = "INSERT INTO paths.waiting AS w (queue, slot, n) VALUES "
      + "(?, pg_backend_pid() % 16, ?) ON CONFLICT (queue, slot) DO UPDATE SET n = w.n + "
      + "excluded.n";
  private static final String NOTIFY = "SELECT pg_notify('paths_work', ?)";
  private static final String PROMOTE = "UPDATE paths.tasks SET ready = true WHERE id = "
      + "ANY(ARRAY(SELECT id FROM paths.tasks WHERE queue = ? AND status = 'WAITING' AND NOT "
      + "ready AND run_at <= now() FOR UPDATE SKIP LOCKED))";
  private static final String CLAIM = "WITH claimed AS (UPDATE paths.tasks SET status = "
      + "'RUNNING', attempt = attempt + 1, started_at = now(), owner = ? WHERE id = ANY(ARRAY("
      + "SELECT id FROM paths.tasks WHERE queue = ? AND status = 'WAITING' AND ready AND run_at "
      + "<= now() ORDER BY priority DESC, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED)) "
      + "RETURNING id, args, attempt), counted AS (INSERT INTO paths.waiting AS w (queue, slot, "
      + "n) SELECT ?, pg_backend_pid() % 16, -count(*) FROM claimed HAVING count(*) > 0 "
      + "ON CONFLICT (queue, slot) DO UPDATE SET n = w.n + excluded.n) SELECT * FROM claimed";
  private static final String END_ONE = "UPDATE paths.tasks SET status = 'SUCCESS', result = ?, "
      + "finished_at = now(), owner = NULL WHERE id = ? AND status = 'RUNNING' AND attempt = ?";
  private static final String END_MANY = "UPDATE paths.tasks t SET status = 'SUCCESS', result = "
      + "e.result, finished_at = now(), owner = NULL FROM unnest(?::bigint[], ?::int[], "
      + "?::text[]) AS e(id, attempt, result) WHERE t.id = e.id AND t.status = 'RUNNING' AND "
      + "t.attempt = e.attempt";
  private static final int CLAIMERS = 4;
  private static final int PREFILL = 40_000;
  /** Finished tasks left behind in the table by the {@code hot} part. */
  private static final int CHURN = 1_000_000;

  private PgWritePaths() {}

  /** Makes the table state a variant starts from. */
  private interface Setup {
    void run(Connection admin) throws SQLException;
  }

  /** One way of doing a path: what it starts from, how many threads, what each one does. */
  private record Variant(String path, String name, int threads, Setup setup,
      PgTimedRun.Op op) {}

  /** Runs the parts named by {@code --parts}, printing one table row per variant. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--seconds", "4", "--rounds", "3",
        "--parts", "insert,group,claim,complete"));
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; allowed: "
            + opts.keySet());
      }
      opts.put(args[i], args[i + 1]);
    }
    long seconds = Long.parseLong(opts.get("--seconds"));
    int rounds = Integer.parseInt(opts.get("--rounds"));
    List<String> parts = List.of(opts.get("--parts").split(","));
    System.out.println("| path | variant | threads | tasks/s (median of rounds) | range | "
        + "transactions/s | p50 µs | p99 µs | load before / after |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    try (Target.Postgres db = Target.Postgres.scratch();
         Connection admin = DriverManager.getConnection(db.jdbcUrl(), Target.Postgres.USER, "")) {
      PgTimedRun run = new PgTimedRun(db, seconds);
      for (String part : parts) {
        List<Variant> variants = variants(part);
        String load = Machine.load();
        List<List<PgTimedRun.Sample>> samples = new ArrayList<>();
        variants.forEach(v -> samples.add(new ArrayList<>()));
        for (int r = 0; r < rounds; r++) { // interleaved, so a change of load hits every variant
          for (int v = 0; v < variants.size(); v++) {
            Variant variant = variants.get(v);
            variant.setup().run(admin);
            samples.get(v).add(run.measure(variant.path(), variant.name(), variant.threads(),
                variant.op()));
          }
        }
        for (int v = 0; v < variants.size(); v++) {
          System.out.println(row(variants.get(v), samples.get(v), load));
        }
      }
    }
    Runtime.getRuntime().halt(0);
  }

  private static List<Variant> variants(String part) {
    Setup empty = PgPathTable::reset;
    Setup waiting = admin -> {
      PgPathTable.reset(admin);
      PgPathTable.fill(admin, "WAITING", PREFILL);
    };
    Setup running = admin -> {
      PgPathTable.reset(admin);
      PgPathTable.fill(admin, "RUNNING", PREFILL);
    };
    List<Variant> v = new ArrayList<>();
    switch (part) {
      case "insert" -> {
        v.add(new Variant(part, "advisory lock + count (today)", 4, empty,
            PgWritePaths::lockedInsert));
        v.add(new Variant(part, "no lock: count read + insert", 4, empty,
            PgWritePaths::freeInsert));
        v.add(new Variant(part, "no lock, no NOTIFY", 4, empty, (c, t, i) -> {
          c.setAutoCommit(false);
          return insertRest(c, i, false);
        }));
      }
      case "group" -> {
        for (int n : new int[] {1, 4, 16, 64}) {
          v.add(new Variant(part, n + (n == 1 ? " row" : " rows") + ": JDBC batch", 1, empty,
              (c, t, i) -> group(c, n, false)));
          v.add(new Variant(part, n + (n == 1 ? " row" : " rows") + ": unnest", 1, empty,
              (c, t, i) -> group(c, n, true)));
        }
      }
      case "claim" -> {
        v.add(new Variant(part, "promote + LIMIT 1 (today)", CLAIMERS, waiting,
            (c, t, i) -> claim(c, 1, true)));
        for (int n : new int[] {1, 8, 32}) {
          v.add(new Variant(part, "one statement, LIMIT " + n, CLAIMERS, waiting,
              (c, t, i) -> claim(c, n, false)));
        }
      }
      case "complete" -> {
        for (int n : new int[] {1, 8, 32}) {
          v.add(new Variant(part, n == 1 ? "one UPDATE per task" : "unnest, " + n
              + " per statement", CLAIMERS, running, (c, t, i) -> complete(c, t, i, n)));
        }
      }
      case "hot" -> {
        v.add(new Variant(part, "LIMIT 8, fresh table", CLAIMERS, waiting,
            (c, t, i) -> claim(c, 8, false)));
        v.add(new Variant(part, "LIMIT 8, after " + CHURN + " tasks churned, not vacuumed",
            CLAIMERS, admin -> {
              PgPathTable.reset(admin);
              PgPathTable.churn(admin, CHURN, false);
              PgPathTable.fill(admin, "WAITING", PREFILL);
            }, (c, t, i) -> claim(c, 8, false)));
        v.add(new Variant(part, "LIMIT 8, after " + CHURN + " tasks churned, vacuumed",
            CLAIMERS, admin -> {
              PgPathTable.reset(admin);
              PgPathTable.churn(admin, CHURN, true);
              PgPathTable.fill(admin, "WAITING", PREFILL);
            }, (c, t, i) -> claim(c, 8, false)));
      }
      default -> throw new IllegalArgumentException("unknown part " + part
          + "; allowed: insert, group, claim, complete, hot");
    }
    return v;
  }

  private static String row(Variant v, List<PgTimedRun.Sample> samples, String load) {
    double[] tasks = samples.stream().mapToDouble(PgTimedRun.Sample::tasksPerSecond).sorted()
        .toArray();
    double[] txs = samples.stream().mapToDouble(PgTimedRun.Sample::transactionsPerSecond)
        .sorted().toArray();
    Percentiles p = new Percentiles(samples.stream().flatMapToLong(s -> Arrays.stream(s.nanos()))
        .toArray());
    return String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f–%.0f | %.0f | %.0f | %.0f "
            + "| %s / %s |", v.path(), v.name(), v.threads(), tasks[tasks.length / 2], tasks[0],
        tasks[tasks.length - 1], txs[txs.length / 2], p.at(0.5) / 1e3, p.at(0.99) / 1e3, load,
        Machine.load());
  }

  /** Today's submit: the queue's advisory lock held from the count to the commit. */
  private static int lockedInsert(Connection c, int thread, long i) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(LOCK)) {
      ps.setString(1, "errand-queue:" + Q);
      ps.execute();
    }
    return insertRest(c, i, true);
  }

  /** The same submit without the lock. */
  private static int freeInsert(Connection c, int thread, long i) throws SQLException {
    c.setAutoCommit(false);
    return insertRest(c, i, true);
  }

  private static int insertRest(Connection c, long i, boolean notify) throws SQLException {
    count(c);
    Timestamp now = new Timestamp(System.currentTimeMillis());
    try (PreparedStatement ps = c.prepareStatement(INSERT_ONE)) {
      ps.setString(1, Q);
      ps.setString(2, Long.toString(i));
      ps.setTimestamp(3, now);
      ps.setTimestamp(4, now);
      ps.setString(5, null);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
      }
    }
    add(c, 1);
    if (notify) {
      notifyWork(c);
    }
    c.commit();
    return 1;
  }

  /** A node's group of {@code n} submits: one transaction, one count change, one NOTIFY. */
  private static int group(Connection c, int n, boolean unnest) throws SQLException {
    c.setAutoCommit(false);
    count(c);
    Timestamp now = new Timestamp(System.currentTimeMillis());
    if (unnest) {
      String[] args = new String[n];
      Timestamp[] created = new Timestamp[n];
      Integer[] priorities = new Integer[n];
      for (int k = 0; k < n; k++) {
        args[k] = Integer.toString(k);
        created[k] = now;
        priorities[k] = 0;
      }
      try (PreparedStatement ps = c.prepareStatement(INSERT_UNNEST)) {
        ps.setString(1, Q);
        ps.setArray(2, c.createArrayOf("text", args));
        ps.setArray(3, c.createArrayOf("timestamptz", created));
        ps.setArray(4, c.createArrayOf("text", new String[n]));
        ps.setArray(5, c.createArrayOf("int4", priorities));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rs.getLong(1);
          }
        }
      }
    } else {
      try (PreparedStatement ps = c.prepareStatement(INSERT_ONE.replace(" RETURNING id", ""))) {
        for (int k = 0; k < n; k++) {
          ps.setString(1, Q);
          ps.setString(2, Integer.toString(k));
          ps.setTimestamp(3, now);
          ps.setTimestamp(4, now);
          ps.setString(5, null);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    add(c, n);
    notifyWork(c);
    c.commit();
    return n;
  }

  /** Claims up to {@code n}; -1 once the table has nothing left to claim. */
  private static int claim(Connection c, int n, boolean promoteFirst) throws SQLException {
    c.setAutoCommit(true);
    if (promoteFirst) {
      try (PreparedStatement ps = c.prepareStatement(PROMOTE)) {
        ps.setString(1, Q);
        ps.executeUpdate();
      }
    }
    int got = 0;
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      ps.setLong(1, 1);
      ps.setString(2, Q);
      ps.setInt(3, n);
      ps.setString(4, Q);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          got++;
        }
      }
    }
    return got == 0 ? -1 : got;
  }

  /** Ends this thread's next {@code n} RUNNING tasks (ids thread+1, +threads, ...). */
  private static int complete(Connection c, int thread, long i, int n) throws SQLException {
    c.setAutoCommit(true);
    List<Long> ids = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      long id = thread + 1 + (i * n + k) * CLAIMERS;
      if (id <= PREFILL) {
        ids.add(id);
      }
    }
    if (ids.isEmpty()) {
      return -1;
    }
    if (n == 1) {
      try (PreparedStatement ps = c.prepareStatement(END_ONE)) {
        ps.setString(1, "null");
        ps.setLong(2, ids.get(0));
        ps.setInt(3, 1);
        return ps.executeUpdate();
      }
    }
    Integer[] attempts = new Integer[ids.size()];
    String[] results = new String[ids.size()];
    Arrays.fill(attempts, 1);
    Arrays.fill(results, "null");
    try (PreparedStatement ps = c.prepareStatement(END_MANY)) {
      Array idArray = c.createArrayOf("int8", ids.toArray(Long[]::new));
      ps.setArray(1, idArray);
      ps.setArray(2, c.createArrayOf("int4", attempts));
      ps.setArray(3, c.createArrayOf("text", results));
      return ps.executeUpdate();
    }
  }

  private static long count(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(COUNT)) {
      ps.setString(1, Q);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void add(Connection c, int n) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ADD)) {
      ps.setString(1, Q);
      ps.setLong(2, n);
      ps.executeUpdate();
    }
  }

  private static void notifyWork(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(NOTIFY)) {
      ps.setString(1, "1 " + Q);
      ps.execute();
    }
  }
}
