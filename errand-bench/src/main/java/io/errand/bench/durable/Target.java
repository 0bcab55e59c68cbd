package io.errand.bench.durable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where a run keeps its jobs: a new SQLite file, or a scratch PostgreSQL database made for the
 * run on the machine's server (127.0.0.1:5432, user {@code postgres}, trust authentication)
 * and dropped after it.
 */
sealed interface Target extends AutoCloseable {
  /** The JDBC URL of the target. */
  String jdbcUrl();

  /** A HikariCP pool on the target: {@code maxPool} connections, or Hikari's default (10). */
  default HikariDataSource pool(Integer maxPool) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl());
    config.setPoolName("bench");
    if (this instanceof Postgres) {
      config.setUsername(Postgres.USER);
    }
    if (maxPool != null) {
      config.setMaximumPoolSize(maxPool);
    }
    return new HikariDataSource(config);
  }

  @Override
  void close();

  /** A SQLite file (not created yet). */
  record Sqlite(Path file) implements Target {
    @Override
    public String jdbcUrl() {
      return "jdbc:sqlite:" + file;
    }

    @Override
    public void close() {}
  }

  /** A scratch database on the local PostgreSQL server, created at once. */
  record Postgres(String database) implements Target {
    /**
     * The server's JDBC URL up to the database name: the machine's server unless the system
     * property {@code errand.bench.pg} names another (a private server for profiling, say
     * {@code jdbc:postgresql://127.0.0.1:5440/}).
     */
    static final String SERVER = System.getProperty("errand.bench.pg",
        "jdbc:postgresql://127.0.0.1:5432/");
    static final String USER = "postgres";

    static Postgres scratch() throws SQLException {
      String name = "errand_bench_" + ProcessHandle.current().pid() + "_"
          + Long.toHexString(System.nanoTime());
      admin("CREATE DATABASE " + name);
      return new Postgres(name);
    }

    @Override
    public String jdbcUrl() {
      return SERVER + database;
    }

    @Override
    public void close() {
      if (Boolean.getBoolean("errand.bench.keep")) { // -Derrand.bench.keep=true: to look into
        System.err.println("kept the scratch database " + database);
        return;
      }
      try {
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      } catch (SQLException e) {
        System.err.println("could not drop the scratch database " + database + ": " + e);
      }
    }

    private static void admin(String sql) throws SQLException {
      try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
           Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }
}
