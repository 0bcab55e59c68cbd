package io.errand.bench.durable;

import io.errand.api.QueueSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13's idle cost: the transactions per second that one idle Errand node makes on
 * PostgreSQL with {@code Q} queues of {@code W} workers and no work at all, read as the delta
 * of {@code pg_stat_database.xact_commit} (and {@code xact_rollback}) of its scratch database
 * over {@code --seconds}, after {@code --settle} seconds of warm-up. The counters are read from
 * a connection to another database, so the reads do not count. PostgreSQL publishes a
 * backend's counts with a delay (at most ~10 s for an idle backend), the same at both ends of
 * a steady window, so the window is long.
 *
 * <pre>
 * errand-bench/run.sh pg-idle [--shapes 1x50,10x50] [--settle 15] [--seconds 60]
 * </pre>
 */
public final class PgIdle {
  private PgIdle() {}

  /** Measures each {@code --shapes} entry ({@code QxW}) and prints one table row each. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of("--shapes", "1x50,10x50",
        "--settle", "15", "--seconds", "60"));
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; allowed: "
            + opts.keySet());
      }
      opts.put(args[i], args[i + 1]);
    }
    int settle = Integer.parseInt(opts.get("--settle"));
    int seconds = Integer.parseInt(opts.get("--seconds"));
    System.out.println("| queues × workers | window s | commits/s | rollbacks/s | load before "
        + "/ after |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (String shape : opts.get("--shapes").split(",")) {
      String[] qw = shape.split("x");
      System.out.println(measure(Integer.parseInt(qw[0]), Integer.parseInt(qw[1]), settle,
          seconds));
    }
    Runtime.getRuntime().halt(0);
  }

  private static String measure(int queues, int workers, int settle, int seconds)
      throws Exception {
    String load = Machine.load();
    try (Target.Postgres db = Target.Postgres.scratch(); PgNodes cluster = new PgNodes()) {
      List<QueueSpec<?, ?>> specs = new ArrayList<>();
      for (int q = 0; q < queues; q++) {
        specs.add(QueueSpec.builder("idle-" + q, Integer.class, ctx -> null).workers(workers)
            .build());
      }
      cluster.start(db, "idle-node", specs);
      Thread.sleep(settle * 1000L);
      long[] before = counters(db.database());
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long[] after = counters(db.database());
      double s = (System.nanoTime() - t0) / 1e9;
      return String.format(Locale.ROOT, "| %d × %d | %.1f | %.1f | %.1f | %s / %s |", queues,
          workers, s, (after[0] - before[0]) / s, (after[1] - before[1]) / s, load,
          Machine.load());
    }
  }

  /** {@code xact_commit, xact_rollback} of {@code database}, read from database postgres. */
  private static long[] counters(String database) throws SQLException {
    try (Connection c = DriverManager.getConnection(Target.Postgres.SERVER + "postgres",
        Target.Postgres.USER, "");
         PreparedStatement ps = c.prepareStatement("SELECT xact_commit, xact_rollback FROM "
             + "pg_stat_database WHERE datname = ?")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }
}
