package io.errand.bench.durable;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.SqlStorageProvider;
import org.jobrunr.storage.sql.common.DatabaseCreator;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;

/**
 * JobRunr as its documentation sets it up on SQL: a HikariCP pool on the database,
 * {@code SqlStorageProviderFactory.using(dataSource)} (which picks its {@code
 * SqLiteStorageProvider} or {@code PostgresStorageProvider} from the URL and creates its
 * tables) and a background job server with the default configuration. Jobs are
 * {@link JobRequest}s (no lambda analysis), enqueued one by one.
 *
 * <p>With a pool of one connection JobRunr cannot start: its {@code DatabaseCreator} (which
 * creates, and otherwise validates, its tables) asks for a second connection while the factory
 * holds the first, and fails after the pool's 30 s time-out. So then the tables are created
 * first through a pool of Hikari's default size, closed at once, and the storage provider is
 * made with {@code DatabaseOptions.NO_VALIDATE}.
 */
final class JobRunrSubject implements Subject {
  private final Target target;
  private final Integer maxPool;
  private final Executions executions;
  private HikariDataSource dataSource;
  private JobRequestScheduler scheduler;

  /** A no-op job: its handler records that task {@code task} ran. */
  public record NoopJob(int task) implements JobRequest {
    @Override
    public Class<NoopJobHandler> getJobRequestHandler() {
      return NoopJobHandler.class;
    }
  }

  /** Runs {@link NoopJob}s. */
  public static final class NoopJobHandler implements JobRequestHandler<NoopJob> {
    private final Executions executions;

    NoopJobHandler(Executions executions) {
      this.executions = executions;
    }

    @Override
    public void run(NoopJob job) {
      executions.record(job.task());
    }
  }

  /** {@code maxPool} null: HikariCP's default pool (10 connections). */
  JobRunrSubject(Target target, Integer maxPool, Executions executions) {
    this.target = target;
    this.maxPool = maxPool;
    this.executions = executions;
  }

  @Override
  public void start() {
    StorageProvider storage;
    if (maxPool != null && maxPool < 2) {
      try (HikariDataSource creator = target.pool(null)) {
        Class<? extends SqlStorageProvider> type = target instanceof Target.Postgres
            ? PostgresStorageProvider.class : SqLiteStorageProvider.class;
        new DatabaseCreator(creator, type).runMigrations();
      }
      dataSource = target.pool(maxPool);
      storage = SqlStorageProviderFactory.using(dataSource, null, DatabaseOptions.NO_VALIDATE);
    } else {
      dataSource = target.pool(maxPool);
      storage = SqlStorageProviderFactory.using(dataSource);
    }
    NoopJobHandler handler = new NoopJobHandler(executions);
    JobActivator activator = new JobActivator() {
      @Override
      public <T> T activateJob(Class<T> type) {
        return type.cast(handler);
      }
    };
    scheduler = JobRunr.configure()
        .useJobActivator(activator)
        .useStorageProvider(storage)
        .useBackgroundJobServer()
        .initialize()
        .getJobRequestScheduler();
  }

  @Override
  public String describe() {
    var config = JobRunr.getBackgroundJobServer().getConfiguration();
    return "workers=" + config.getBackgroundJobServerWorkerPolicy().toJobRunrExecutor()
        .getWorkerCount() + ",pollInterval=" + config.getPollInterval() + ",pool="
        + dataSource.getMaximumPoolSize();
  }

  @Override
  public void submit(int task) {
    scheduler.enqueue(new NoopJob(task));
  }

  @Override
  public long succeeded(int submitted) throws SQLException {
    return count("SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'");
  }

  @Override
  public Map<String, Long> states() throws SQLException {
    Map<String, Long> states = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT state, count(*) FROM jobrunr_jobs GROUP BY state")) {
      while (rs.next()) {
        states.put(rs.getString(1), rs.getLong(2));
      }
    }
    states.put("rows", count("SELECT count(*) FROM jobrunr_jobs"));
    states.put("distinctIds", count("SELECT count(DISTINCT id) FROM jobrunr_jobs"));
    return states;
  }

  @Override
  public void close() {
    JobRunr.destroy();
    if (dataSource != null) {
      dataSource.close();
    }
  }

  private long count(String sql) throws SQLException {
    return Sql.count(dataSource, sql);
  }
}
