package io.errand.bench.durable;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Errand on {@link SqliteStore} (WAL, one writer with group commit), one queue of no-op tasks.
 * Its counts are read from the file on a connection of the harness's own: in WAL mode a reader
 * never blocks the store's writer.
 */
final class ErrandSubject implements Subject {
  static final String QUEUE = "noop";

  private final Path file;
  private final SqliteStore.Synchronous synchronous;
  private final int workers;
  private final int capacity;
  private final Executions executions;
  private Errand errand;
  private Connection reader;

  ErrandSubject(Path file, SqliteStore.Synchronous synchronous, int workers, int capacity,
      Executions executions) {
    this.file = file;
    this.synchronous = synchronous;
    this.workers = workers;
    this.capacity = capacity;
    this.executions = executions;
  }

  @Override
  public void start() {
    errand = Errand.builder()
        .store(SqliteStore.builder(file).synchronous(synchronous).build())
        .queue(QueueSpec.builder(QUEUE, Integer.class, ctx -> {
          executions.record(ctx.args());
          return null;
        }).workers(workers).capacity(capacity).build())
        .build();
  }

  @Override
  public String describe() {
    return "workers=" + workers + ",synchronous=" + synchronous;
  }

  @Override
  public void submit(int task) {
    errand.submit(QUEUE, task);
  }

  @Override
  public long succeeded(int submitted) throws SQLException {
    return count("SELECT count(*) FROM tasks WHERE status = 'SUCCESS'");
  }

  @Override
  public Map<String, Long> states() throws SQLException {
    Map<String, Long> states = new LinkedHashMap<>();
    try (Statement s = reader().createStatement();
         ResultSet rs = s.executeQuery("SELECT status, count(*) FROM tasks GROUP BY status")) {
      while (rs.next()) {
        states.put(rs.getString(1), rs.getLong(2));
      }
    }
    states.put("rows", count("SELECT count(*) FROM tasks"));
    states.put("distinctIds", count("SELECT count(DISTINCT id) FROM tasks"));
    return states;
  }

  @Override
  public void close() throws SQLException {
    if (reader != null) {
      reader.close();
    }
    if (errand != null) {
      errand.shutdown(Duration.ofSeconds(10));
    }
  }

  private long count(String sql) throws SQLException {
    return Sql.count(reader(), sql);
  }

  private Connection reader() throws SQLException {
    if (reader == null) {
      reader = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = reader.createStatement()) {
        s.execute("PRAGMA query_only = 1");
        s.execute("PRAGMA busy_timeout = 10000");
      }
    }
    return reader;
  }
}
