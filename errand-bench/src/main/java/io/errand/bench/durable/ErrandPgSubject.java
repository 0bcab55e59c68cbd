package io.errand.bench.durable;

import com.zaxxer.hikari.HikariDataSource;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Errand on PostgreSQL as a cluster of {@code nodes} nodes ({@link PgNodes}) sharing one
 * database, one queue of no-op tasks with {@code workers} workers on each node. Submits go
 * round-robin over the nodes (submitter thread {@code k} of the harness submits task
 * {@code i ≡ k mod submitters}, so with 4 submitters and 2 nodes each node gets two
 * submitters' tasks). Counts are read on a pool of the harness's own.
 */
final class ErrandPgSubject implements Subject {
  private final Target.Postgres target;
  private final int nodes;
  private final int workers;
  private final int capacity;
  private final Executions executions;
  private final PgNodes cluster = new PgNodes();
  private HikariDataSource reader;
  private Errand[] byTask;

  ErrandPgSubject(Target.Postgres target, int nodes, int workers, int capacity,
      Executions executions) {
    this.target = target;
    this.nodes = nodes;
    this.workers = workers;
    this.capacity = capacity;
    this.executions = executions;
  }

  @Override
  public void start() {
    for (int n = 0; n < nodes; n++) {
      cluster.start(target, "node-" + n, List.of(QueueSpec.builder(ErrandSubject.QUEUE,
          Integer.class, ctx -> {
            executions.record(ctx.args());
            return null;
          }).workers(workers).capacity(capacity).build()));
    }
    byTask = cluster.all().toArray(Errand[]::new);
    reader = target.pool(2);
  }

  @Override
  public String describe() {
    return "nodes=" + nodes + ",workersPerNode=" + workers + ",poolPerNode=10(default)";
  }

  @Override
  public void submit(int task) {
    byTask[task % byTask.length].submit(ErrandSubject.QUEUE, task);
  }

  @Override
  public long succeeded(int submitted) throws SQLException {
    return Sql.count(reader, "SELECT count(*) FROM errand.tasks WHERE status = 'SUCCESS'");
  }

  @Override
  public Map<String, Long> states() throws SQLException {
    Map<String, Long> states = new LinkedHashMap<>();
    try (Connection c = reader.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT status, count(*) FROM errand.tasks "
             + "GROUP BY status")) {
      while (rs.next()) {
        states.put(rs.getString(1), rs.getLong(2));
      }
    }
    states.put("rows", Sql.count(reader, "SELECT count(*) FROM errand.tasks"));
    states.put("distinctIds", Sql.count(reader, "SELECT count(DISTINCT id) FROM errand.tasks"));
    return states;
  }

  @Override
  public void close() {
    cluster.close();
    if (reader != null) {
      reader.close();
    }
  }
}
