package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.ShutdownReport;
import io.errand.api.TaskStatus;
import io.errand.postgres.PostgresStore;
import io.errand.postgres.TestDatabase;
import io.errand.sqlite.SqliteStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /livez} and {@code /readyz}: no token, nothing sensitive, and readiness that falls
 * while Errand drains and while its store cannot be read (a PostgreSQL database that refuses
 * connections, a SQLite file destroyed under the running server), and comes back with it.
 */
class ProbesTest {
  private static final String TOKEN = "s3cret-token-of-the-probes";

  @TempDir
  Path dir;

  @Test
  void probesNeedNoTokenAndShowNoData() {
    try (Fixture f = new Fixture(TOKEN, b -> b)) {
      Http anonymous = new Http(f.server.port(), null);
      assertThat(anonymous.get("/api/health").status()).as("the API keeps its token").isEqualTo(401);

      Http.Response live = anonymous.get("/livez");
      assertThat(live.status()).isEqualTo(200);
      assertThat(live.body()).isEqualTo("{\"live\":true}");
      assertThat(live.header("Cache-Control")).contains("no-store");

      Http.Response ready = anonymous.get("/readyz");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("{\"ready\":true}");

      Http.Response unknown = anonymous.get("/readyz?verbose=1");
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.errorCode()).isEqualTo("invalid_query");
    }
  }

  @Test
  void readyFallsWhileDrainingAndLiveStays() throws Exception {
    try (Fixture f = new Fixture()) {
      long id = f.submit("work", "{\"gate\": \"drain\"}");
      f.awaitStatus(id, TaskStatus.RUNNING);
      CompletableFuture<ShutdownReport> drain =
          CompletableFuture.supplyAsync(() -> f.errand.shutdown(Duration.ofSeconds(30)));

      await().atMost(Duration.ofSeconds(10)).until(() -> f.http.get("/readyz").status() == 503);
      Http.Response ready = f.http.get("/readyz");
      assertThat(ready.json().get("ready").asBoolean()).isFalse();
      assertThat(ready.json().get("reason").asText()).isEqualTo("shutting_down");
      assertThat(ready.json().get("message").asText()).contains("draining");
      assertThat(f.http.get("/livez").status()).as("draining is alive").isEqualTo(200);
      assertThat(drain).as("the drain waits for the running task").isNotDone();

      f.open("drain");
      assertThat(drain.get().succeeded()).isEqualTo(1);
    }
  }

  @Test
  void readyFallsWhileThePostgresDatabaseRefusesConnectionsAndComesBack() throws SQLException {
    TestDatabase db = TestDatabase.get();
    String name = "errand_probe_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    String url = db.url().replaceFirst("/postgres\\?", "/" + name + "?");
    assertThat(url).as("the test database's URL names database postgres").contains(name);
    admin(db, "CREATE DATABASE " + name);
    try {
      try (Fixture f = new Fixture(null, b -> b, PostgresStore.builder(url).build())) {
        long id = f.submit("other", "{\"n\": 1}");
        f.awaitFinished(id);
        assertThat(f.http.get("/readyz").status()).isEqualTo(200);

        admin(db, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        admin(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
            + name + "'");
        await().atMost(Duration.ofSeconds(30)).until(() -> f.http.get("/readyz").status() == 503);
        Http.Response down = f.http.get("/readyz");
        assertThat(down.json().get("reason").asText()).isEqualTo("store_unavailable");
        assertThat(down.body()).as("no store details without the token")
            .doesNotContain(name).doesNotContain("postgres").doesNotContain("Exception");
        assertThat(f.http.get("/livez").status()).isEqualTo(200);
        assertThat(f.http.get("/api/health").json().get("store").asText())
            .isEqualTo("unavailable");

        admin(db, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
        await().atMost(Duration.ofSeconds(60)).until(() -> f.http.get("/readyz").status() == 200);
      }
    } finally {
      admin(db, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  @Test
  void readyFallsWhenTheSqliteFileIsDestroyedUnderTheServer() throws IOException {
    Path file = dir.resolve("probe.db");
    try (Fixture f = new Fixture(null, b -> b, SqliteStore.at(file))) {
      long id = f.submit("other", "{\"n\": 1}");
      f.awaitFinished(id);
      assertThat(f.http.get("/readyz").status()).isEqualTo(200);

      // What a failing disk or a careless `dd` does: the database, its log and its shared index
      // overwritten in place (same sizes: SQLite maps the index, and a shorter file would crash
      // the JVM, not the store).
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Path p = dir.resolve("probe.db" + suffix);
        if (Files.exists(p)) {
          overwrite(p);
        }
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> f.http.get("/readyz").status() == 503);
      Http.Response down = f.http.get("/readyz");
      assertThat(down.json().get("reason").asText()).isEqualTo("store_unavailable");
      assertThat(down.body()).doesNotContain(file.toString());
      assertThat(f.http.get("/livez").status()).isEqualTo(200);
    }
  }

  private static void overwrite(Path p) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
      byte[] junk = new byte[(int) raf.length()];
      Arrays.fill(junk, (byte) 0x5a);
      raf.seek(0);
      raf.write(junk);
      raf.getFD().sync();
    }
  }

  private static void admin(TestDatabase db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
