package io.errand.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL the tests use: the one on 127.0.0.1:5432 (user postgres, trust auth, database
 * postgres) when it answers, else an embedded one started once for the test JVM. Setting
 * {@code -Derrand.test.postgres=embedded} forces the embedded one. If neither can be had, the
 * tests fail saying why; they never skip. Each test works in a schema of its own, dropped after
 * (the contract suites: one schema per class, emptied between tests, {@link SharedSchema}).
 */
public final class TestDatabase {
  private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static TestDatabase instance;

  private final String url;
  private final String what;

  private TestDatabase(String url, String what) {
    this.url = url;
    this.what = what;
  }

  /** The database of this test JVM, found (or started) at the first call. */
  public static synchronized TestDatabase get() {
    if (instance == null) {
      instance = find();
      System.out.println("[errand-postgres tests] on " + instance.what);
    }
    return instance;
  }

  private static TestDatabase find() {
    SQLException local = null;
    if (!"embedded".equals(System.getProperty("errand.test.postgres"))) {
      Properties p = new Properties();
      p.setProperty("connectTimeout", "3");
      try (Connection c = DriverManager.getConnection(LOCAL, p)) {
        return new TestDatabase(LOCAL, "the PostgreSQL at 127.0.0.1:5432");
      } catch (SQLException e) {
        local = e;
      }
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (Exception ignored) {
          // the JVM is going
        }
      }));
      return new TestDatabase(pg.getJdbcUrl("postgres", "postgres"),
          "an embedded PostgreSQL on port " + pg.getPort());
    } catch (Exception | Error e) {
      AssertionError failure = new AssertionError("no PostgreSQL for the tests: none answers "
          + "on 127.0.0.1:5432" + (local == null ? " (not tried)" : " (" + local.getMessage()
          + ")") + ", and an embedded one could not start: " + e, e);
      if (local != null) {
        failure.addSuppressed(local);
      }
      throw failure;
    }
  }

  /** The JDBC URL, with credentials. */
  public String url() {
    return url;
  }

  /** A connection of the test's own. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  /** A new schema name no other test uses (the schema itself is made by the store). */
  public String freshSchema() {
    return "errand_t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
  }

  /** Runs {@code sql}. */
  void exec(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** Ends the sessions named {@code applicationName}, as a lost connection would; how many. */
  int terminate(String applicationName) {
    try (Connection c = connect(); java.sql.PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            + "WHERE application_name = ?")) {
      ps.setString(1, applicationName);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Empties {@code schema} back to how a store just made it: every row of every table but the
   * schema version deleted, every sequence restarted. A test class that shares one schema
   * calls it after each test instead of making a schema per test, whose migration (tens of
   * DDL statements, each a catalog change) was most of such a class's time. Triggers are off
   * for the deletes ({@code session_replication_role = replica}), so emptying logs no events.
   * Only when no store is open on {@code schema}: an open one would keep writing into it.
   */
  public void empty(String schema) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET LOCAL session_replication_role = replica");
      List<String> tables = new ArrayList<>();
      try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT tablename FROM pg_tables "
          + "WHERE schemaname = ? AND tablename <> 'errand_schema'")) {
        ps.setString(1, schema);
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
      }
      for (String table : tables) {
        s.executeUpdate("DELETE FROM " + schema + "." + table);
      }
      try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT setval(format('%I.%I', "
          + "schemaname, sequencename)::regclass, start_value, false) FROM pg_sequences "
          + "WHERE schemaname = ?")) {
        ps.setString(1, schema);
        ps.executeQuery().close();
      }
      c.commit();
    } catch (SQLException e) {
      throw new AssertionError("could not empty schema " + schema + ": " + e.getMessage(), e);
    }
  }

  /** Drops {@code schema} and everything in it. */
  public void drop(String schema) {
    exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }
}
