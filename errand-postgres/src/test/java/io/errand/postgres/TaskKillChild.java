package io.errand.postgres;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A node of {@link TaskKillTest}, in the child JVM or the test's own: queue {@code work}
 * whose handler records each run in {@code <schema>.runs} (its start when it begins, its end
 * when it ends) and takes 200 ms. Arguments of {@link #main}: JDBC URL, schema, node name.
 */
public final class TaskKillChild {
  private TaskKillChild() {}

  /** The node {@code node} on {@code schema}, running queue {@code work}. */
  static Errand node(String url, String schema, String node) {
    PostgresStore store = PostgresStore.builder(url).schema(schema).poolSize(4)
        .heartbeat(Duration.ofSeconds(1)).lease(Duration.ofSeconds(3)).build();
    QueueSpec<Integer, Integer> work = QueueSpec.builder("work", Integer.class, ctx -> {
      long run = record(url, "INSERT INTO " + schema + ".runs (task, node, attempt, started) "
          + "VALUES (?, ?, ?, clock_timestamp()) RETURNING id", ctx.id(), node, ctx.attempt());
      Thread.sleep(200);
      record(url, "UPDATE " + schema + ".runs SET ended = clock_timestamp() WHERE id = ? "
          + "RETURNING id", run, null, 0);
      return ctx.args();
    }).workers(4).build();
    return Errand.builder().store(store).node(node).queue(work).build();
  }

  private static long record(String url, String sql, long id, String node, int attempt)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      if (node != null) {
        ps.setString(2, node);
        ps.setInt(3, attempt);
      }
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Starts the node, says {@code ready} on stdout, and waits to be killed. */
  public static void main(String[] args) throws InterruptedException {
    Errand errand = node(args[0], args[1], args[2]);
    System.out.println("ready " + errand);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
