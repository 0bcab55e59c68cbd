package io.errand.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.errand.api.ErrandException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's connections: a HikariCP pool it made from a JDBC URL (and closes), or a
 * {@link DataSource} the user gave (left open). Every unit of work runs through
 * {@link #transaction} or {@link #autocommit}, which map a failure of the database to an
 * {@link ErrandException} with code {@code store_failed} naming the database without its
 * password.
 */
final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)([?&;]password=)[^&;]*");
  private static final Pattern USER_INFO = Pattern.compile("//[^/@?]*@");
  /** Deadlock detected, serialization failure: safe to run the whole unit again. */
  private static final int RETRIES = 3;
  /** The pool's wait for a connection, at most: 5 s. */
  static final long CONNECTION_WAIT_MS = 5_000;

  /** Work on a connection; throws a RuntimeException (refusals) or SQLException (failures). */
  @FunctionalInterface
  interface Work<T> {
    T run(Tx tx) throws SQLException;
  }

  final DataSource dataSource;
  /** What to call the database in messages: its URL without a password. */
  final String where;
  private final HikariDataSource owned;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  /** Run after each commit of a unit that wrote tasks ({@link Tx#wroteTasks}). */
  private volatile Runnable tasksWritten = () -> { };

  private Database(DataSource dataSource, HikariDataSource owned, String jdbcUrl, String user,
      String password) {
    this.dataSource = dataSource;
    this.owned = owned;
    this.jdbcUrl = jdbcUrl;
    this.where = jdbcUrl == null ? "the given DataSource" : redact(jdbcUrl);
    this.user = user;
    this.password = password != null ? password : passwordIn(jdbcUrl);
  }

  /** A pool of up to {@code poolSize} connections to {@code jdbcUrl}; fails fast if unreachable. */
  static Database pool(String jdbcUrl, String user, String password, int poolSize,
      String poolName) {
    String where = redact(jdbcUrl);
    String secret = password != null ? password : passwordIn(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setPoolName(poolName);
    // How long a unit of work waits for a connection: while the database is down, a submit
    // fails after this (HTTP 503 on the server) instead of hanging (RestartFaultTest).
    config.setConnectionTimeout(CONNECTION_WAIT_MS);
    config.setInitializationFailTimeout(1); // one try at start: an unreachable database fails now
    config.addDataSourceProperty("ApplicationName", poolName);
    config.addDataSourceProperty("tcpKeepAlive", "true");
    try {
      HikariDataSource ds = new HikariDataSource(config);
      return new Database(ds, ds, jdbcUrl, user, password);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ErrandException("store_failed", "cannot connect to PostgreSQL at " + where
          + ": " + scrub(cause.getMessage(), secret) + ". Check that the database runs, "
          + "answers at that address and accepts these credentials", null);
    }
  }

  /** The user's {@code dataSource}, used as it is and not closed by the store. */
  static Database given(DataSource dataSource) {
    return new Database(dataSource, null, null, null, null);
  }

  /**
   * Runs {@code action} after every commit of a unit of work that inserted or updated tasks:
   * the event tail's cue that this node logged events (they carry no {@code NOTIFY}).
   */
  void onTasksWritten(Runnable action) {
    this.tasksWritten = action;
  }

  /** Runs {@code work} in one transaction, retried on a deadlock; signals after the commit. */
  <T> T transaction(Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work, false);
      } catch (SQLException e) {
        if (attempt < RETRIES && retryable(e)) {
          log.debug("retrying a transaction after {}", e.getSQLState());
          continue;
        }
        throw failed(e);
      }
    }
  }

  /** Runs {@code work} in autocommit: for one statement, or reads. */
  <T> T autocommit(Work<T> work) {
    try {
      return once(work, true);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private <T> T once(Work<T> work, boolean autocommit) throws SQLException {
    T value;
    Tx tx;
    try (Connection c = dataSource.getConnection()) {
      if (c.getAutoCommit() != autocommit) {
        c.setAutoCommit(autocommit);
      }
      tx = new Tx(c);
      try {
        value = work.run(tx);
        if (!autocommit) {
          c.commit();
        }
      } catch (SQLException | RuntimeException | Error e) {
        if (!autocommit) {
          try {
            c.rollback();
          } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        tx.rolledBack().forEach(Runnable::run);
        throw e;
      }
    }
    if (tx.wroteTasks()) {
      tasksWritten.run();
    }
    for (Runnable r : tx.committed()) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("a store signal failed", e);
      }
    }
    return value;
  }

  /**
   * A connection of its own, outside the pool when the store made the pool (the listener holds
   * it for good), named {@code applicationName} in {@code pg_stat_activity}.
   */
  Connection connect(String applicationName) throws SQLException {
    return connect(applicationName, null);
  }

  /**
   * As {@link #connect(String)}, to {@code url} instead when it is not null (the store's
   * {@code listenUrl}), with the store's user and password unless the URL has its own.
   */
  Connection connect(String applicationName, String url) throws SQLException {
    if (jdbcUrl == null && url == null) {
      return dataSource.getConnection();
    }
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(url != null ? url : jdbcUrl, props);
  }

  /** The value of a password parameter of {@code jdbcUrl}, if any. */
  private static String passwordIn(String jdbcUrl) {
    if (jdbcUrl == null) {
      return null;
    }
    Matcher m = Pattern.compile("(?i)[?&;]password=([^&;]*)").matcher(jdbcUrl);
    return m.find() ? m.group(1) : null;
  }

  ErrandException failed(SQLException e) {
    return new ErrandException("store_failed", "the PostgreSQL store at " + where
        + " failed: " + scrub(e.getMessage(), password), e);
  }

  private static boolean retryable(SQLException e) {
    return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
  }

  /** {@code jdbcUrl} without a password parameter or user info. */
  static String redact(String jdbcUrl) {
    String s = PASSWORD_PARAM.matcher(jdbcUrl).replaceAll("$1***");
    return USER_INFO.matcher(s).replaceAll("//***@");
  }

  /** {@code message} with every occurrence of {@code secret} masked. */
  static String scrub(String message, String secret) {
    if (message == null || secret == null || secret.isEmpty()) {
      return message;
    }
    return message.replace(secret, "***");
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.close();
    }
  }
}
