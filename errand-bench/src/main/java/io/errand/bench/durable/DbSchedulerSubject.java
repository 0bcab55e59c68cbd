package io.errand.bench.durable;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * db-scheduler as its README sets it up: its {@code scheduled_tasks} table (created here, as
 * the library leaves that to the user), {@code Scheduler.create(dataSource, task).build()} with
 * every default (10 threads, a 10 s polling interval, the FETCH polling strategy; the SQL
 * dialect detected from the connection, SQLite included since 16.x), and one one-time task
 * scheduled per job. A one-time task's row is deleted when it completes.
 */
final class DbSchedulerSubject implements Subject {
  static final String TASK = "noop";

  private final Target target;
  private final Integer maxPool;
  private final Executions executions;
  private HikariDataSource dataSource;
  private OneTimeTask<Integer> task;
  private Scheduler scheduler;

  /** {@code maxPool} null: HikariCP's default pool (10 connections). */
  DbSchedulerSubject(Target target, Integer maxPool, Executions executions) {
    this.target = target;
    this.maxPool = maxPool;
    this.executions = executions;
  }

  @Override
  public void start() throws SQLException {
    dataSource = target.pool(maxPool);
    createTable();
    task = Tasks.oneTime(TASK, Integer.class)
        .execute((instance, context) -> executions.record(instance.getData()));
    scheduler = Scheduler.create(dataSource, task).build();
    scheduler.start();
  }

  /** The table of the library's schema files for SQLite and PostgreSQL. */
  private void createTable() throws SQLException {
    boolean pg = target instanceof Target.Postgres;
    String time = pg ? "timestamp with time zone" : "TIMESTAMP";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE scheduled_tasks ("
          + " task_name " + (pg ? "text NOT NULL" : "varchar(100)") + ","
          + " task_instance " + (pg ? "text NOT NULL" : "varchar(100)") + ","
          + " task_data " + (pg ? "bytea" : "blob") + ","
          + " execution_time " + time + (pg ? " NOT NULL" : "") + ","
          + " picked " + (pg ? "boolean NOT NULL" : "BIT") + ","
          + " picked_by " + (pg ? "text" : "varchar(50)") + ","
          + " last_success " + time + ","
          + " last_failure " + time + ","
          + " consecutive_failures INT,"
          + " last_heartbeat " + time + ","
          + " version BIGINT" + (pg ? " NOT NULL" : "") + ","
          + " priority SMALLINT,"
          + " PRIMARY KEY (task_name, task_instance))");
      s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
      s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
      s.execute("CREATE INDEX priority_execution_time_idx ON scheduled_tasks "
          + "(priority DESC, execution_time ASC)");
    }
  }

  @Override
  public String describe() {
    return "threads=10(default),pollInterval=" + SchedulerBuilder.DEFAULT_POLLING_INTERVAL
        + ",pool=" + dataSource.getMaximumPoolSize();
  }

  @Override
  public void submit(int n) {
    scheduler.schedule(task.instance(Integer.toString(n), n), Instant.now());
  }

  @Override
  public long succeeded(int submitted) throws SQLException {
    return submitted - count("SELECT count(*) FROM scheduled_tasks");
  }

  @Override
  public Map<String, Long> states() throws SQLException {
    Map<String, Long> states = new LinkedHashMap<>();
    states.put("rows", count("SELECT count(*) FROM scheduled_tasks"));
    states.put("picked", count("SELECT count(*) FROM scheduled_tasks WHERE picked = "
        + (target instanceof Target.Postgres ? "true" : "1")));
    states.put("failing", count("SELECT count(*) FROM scheduled_tasks "
        + "WHERE consecutive_failures > 0"));
    return states;
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.stop();
    }
    if (dataSource != null) {
      dataSource.close();
    }
  }

  private long count(String sql) throws SQLException {
    return Sql.count(dataSource, sql);
  }
}
