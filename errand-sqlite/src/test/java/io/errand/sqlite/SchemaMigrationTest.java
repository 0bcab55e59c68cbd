package io.errand.sqlite;

import static io.errand.spi.contract.Answers.claimed;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.spi.Claim;
import io.errand.spi.StoredSchedule;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written by an earlier schema version opens, migrated, with its tasks as they were. */
class SchemaMigrationTest {
  private static final String Q = "mail";

  @TempDir
  Path dir;

  private final Stores stores = new Stores();

  /**
   * Version 1 had no {@code ready} column and a claim index over every waiting task. The file
   * is made by taking the current version back to version 1's shape (the DDL of version 1's indexes).
   */
  @Test
  void aVersion1FileGetsTheReadyColumnAndItsDueTasksAreClaimedInOrder() throws Exception {
    Path file = dir.resolve("v1.db");
    long low;
    long high;
    long delayed;
    try (SqliteStore store = stores.open(file)) {
      low = store.tasks().insert(task(Q).priority(0).build()).id();
      delayed = store.tasks().insert(task(Q).runAt(stores.clock.instant().plusSeconds(60)).priority(9)
          .build()).id();
      high = store.tasks().insert(task(Q).priority(5).build()).id();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement s = c.createStatement()) {
      dropSearchIndexes(s);
      s.executeUpdate("DROP TABLE queue_controls");
      s.executeUpdate("DROP TABLE schedules");
      s.executeUpdate("DROP INDEX tasks_claim");
      s.executeUpdate("DROP INDEX tasks_due");
      s.executeUpdate("ALTER TABLE tasks DROP COLUMN ready");
      s.executeUpdate("CREATE INDEX tasks_claim ON tasks (queue, priority DESC, run_at, id) "
          + "WHERE status = 'WAITING' AND held = 0");
      s.executeUpdate("CREATE INDEX tasks_due ON tasks (queue, run_at) WHERE status = "
          + "'WAITING' AND held = 0");
      dropHistory(s);
      s.executeUpdate("PRAGMA user_version = 1");
    }

    try (SqliteStore store = stores.open(file)) {
      assertThat(store.tasks().nextDue(Q)).contains(stores.clock.instant());
      assertThat(claimed(store.tasks().claim(Q, Stores.NODE, stores.clock.instant())).id()).isEqualTo(high);
      assertThat(claimed(store.tasks().claim(Q, Stores.NODE, stores.clock.instant())).id()).isEqualTo(low);
      assertThat(store.tasks().claim(Q, Stores.NODE, stores.clock.instant())).isEqualTo(Claim.NONE_DUE);
      stores.clock.advance(Duration.ofSeconds(60));
      assertThat(claimed(store.tasks().claim(Q, Stores.NODE, stores.clock.instant())).id()).isEqualTo(delayed);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      assertThat(Schema.intPragma(c, "user_version")).isEqualTo(Schema.CURRENT);
    }
  }

  /** Version 2 had no schedules table: a version 2 file gets it, its tasks untouched. */
  @Test
  void aVersion2FileGetsTheSchedulesTable() throws Exception {
    Path file = dir.resolve("v2.db");
    long id;
    try (SqliteStore store = stores.open(file)) {
      id = store.tasks().insert(task(Q).build()).id();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement s = c.createStatement()) {
      dropSearchIndexes(s);
      s.executeUpdate("DROP TABLE queue_controls");
      s.executeUpdate("DROP TABLE schedules");
      dropHistory(s);
      s.executeUpdate("PRAGMA user_version = 2");
    }
    try (SqliteStore store = stores.open(file)) {
      assertThat(store.tasks().find(id)).isPresent();
      Schedule hourly = Schedule.builder("hourly", Q, ScheduleSpec.parse("@hourly")).build();
      assertThat(store.schedules().orElseThrow().create(hourly, null)).isTrue();
      assertThat(store.schedules().orElseThrow().list()).extracting(StoredSchedule::name)
          .containsExactly("hourly");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' "
             + "AND tbl_name = 'schedules' AND name IN ('schedules_due', 'schedules_held')")) {
      assertThat(Schema.intPragma(c, "user_version")).isEqualTo(Schema.CURRENT);
      int indexes = 0;
      while (rs.next()) {
        indexes++;
      }
      assertThat(indexes).as("the due and held indexes the schedule runner reads by").isEqualTo(2);
    }
  }

  /** Version 4 had no search indexes: a version 4 file gets them, its tasks untouched. */
  @Test
  void aVersion4FileGetsTheSearchIndexes() throws Exception {
    Path file = dir.resolve("v4.db");
    long id;
    try (SqliteStore store = stores.open(file)) {
      id = store.tasks().insert(task(Q).key("k-1").build()).id();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement s = c.createStatement()) {
      dropScheduleIndexes(s);
      dropSearchIndexes(s);
      dropHistory(s);
      s.executeUpdate("PRAGMA user_version = 4");
    }
    try (SqliteStore store = stores.open(file)) {
      assertThat(store.search().orElseThrow()
          .find(new io.errand.api.TaskFilter(null, null, "k-1", null, null), 10, 0).items())
          .extracting(io.errand.spi.TaskRecord::id).containsExactly(id);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement s = c.createStatement();
         java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE "
             + "type = 'index' AND name IN ('tasks_key', 'tasks_created', 'tasks_failed_error')")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(3);
      assertThat(Schema.intPragma(c, "user_version")).isEqualTo(Schema.CURRENT);
    }
  }

  /** Version 3 had no queue controls: a version 3 file gets the table, and keeps a pause. */
  @Test
  void aVersion3FileGetsTheQueueControlsTable() throws Exception {
    Path file = dir.resolve("v3.db");
    long id;
    try (SqliteStore store = stores.open(file)) {
      id = store.tasks().insert(task(Q).build()).id();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement s = c.createStatement()) {
      dropScheduleIndexes(s);
      dropSearchIndexes(s);
      s.executeUpdate("DROP TABLE queue_controls");
      dropHistory(s);
      s.executeUpdate("PRAGMA user_version = 3");
    }
    try (SqliteStore store = stores.open(file)) {
      assertThat(store.controls().paused()).isEmpty();
      assertThat(store.controls().pause(Q, stores.clock.instant())).isTrue();
    }
    try (SqliteStore store = stores.open(file)) {
      assertThat(store.controls().paused()).containsOnlyKeys(Q);
      assertThat(store.tasks().claim(Q, Stores.NODE, stores.clock.instant()))
          .isEqualTo(Claim.NONE_DUE);
      assertThat(store.tasks().find(id)).isPresent();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      assertThat(Schema.intPragma(c, "user_version")).isEqualTo(Schema.CURRENT);
    }
  }

  /** Version 6 had no history: a version 6 file gets the table, its tasks untouched. */
  @Test
  void aVersion6FileGetsTheHistoryTable() throws Exception {
    Path file = dir.resolve("v6.db");
    long id;
    try (SqliteStore store = stores.open(file)) {
      id = store.tasks().insert(task(Q).build()).id();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement s = c.createStatement()) {
      dropHistory(s);
      s.executeUpdate("PRAGMA user_version = 6");
    }
    java.time.Instant minute = java.time.Instant.parse("2026-12-08T01:00:00Z");
    io.errand.api.HistoryBucket b = new io.errand.api.HistoryBucket(Q, minute, 1, 0, 1, 5, 5, 1,
        7, 7);
    try (SqliteStore store = stores.open(file)) {
      store.history().orElseThrow().add(java.util.List.of(b));
      assertThat(store.tasks().find(id)).isPresent();
    }
    try (SqliteStore store = stores.open(file)) {
      assertThat(store.history().orElseThrow().read(Q, minute, minute.plusSeconds(60)))
          .containsExactly(b);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      assertThat(Schema.intPragma(c, "user_version")).isEqualTo(Schema.CURRENT);
    }
  }

  private static void dropHistory(Statement s) throws java.sql.SQLException {
    s.executeUpdate("DROP TABLE task_history");
  }

  private static void dropScheduleIndexes(Statement s) throws java.sql.SQLException {
    s.executeUpdate("DROP INDEX schedules_due");
    s.executeUpdate("DROP INDEX schedules_held");
  }

  private static void dropSearchIndexes(Statement s) throws java.sql.SQLException {
    s.executeUpdate("DROP INDEX tasks_key");
    s.executeUpdate("DROP INDEX tasks_created");
    s.executeUpdate("DROP INDEX tasks_failed_error");
  }
}
