package io.errand.postgres;

import static io.errand.spi.contract.Answers.claimed;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.spi.Claim;
import io.errand.api.ManualClock;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.spi.StoreContext;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.NewTasks;
import io.errand.spi.contract.RecordingSignals;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A schema written by an earlier version opens, migrated, with its tasks as they were. */
class SchemaMigrationTest {
  private static final String Q = "mail";

  private final TestDatabase db = TestDatabase.get();
  private final ManualClock clock = new ManualClock(NewTasks.T0);
  private String schema;

  @BeforeEach
  void name() {
    schema = db.freshSchema();
  }

  @AfterEach
  void drop() {
    db.drop(schema);
  }

  /**
   * Version 1 had no {@code ready} column and no {@code waiting} counts. The schema is made by
   * taking version 2 back to version 1's shape (the DDL of version 1's indexes).
   */
  @Test
  void aVersion1SchemaGetsReadyTasksAndCountsAndItsDueTasksAreClaimedInOrder() {
    long low;
    long high;
    long delayed;
    try (PostgresStore store = open()) {
      low = store.tasks().insert(task(Q).priority(0).build()).id();
      delayed = store.tasks().insert(task(Q).runAt(clock.instant().plusSeconds(60)).priority(9)
          .build()).id();
      high = store.tasks().insert(task(Q).priority(5).build()).id();
      store.tasks().insert(task("other").build());
    }
    dropSchedules();
    db.exec("DROP TABLE " + schema + ".waiting");
    db.exec("DROP INDEX " + schema + ".tasks_claim");
    db.exec("DROP INDEX " + schema + ".tasks_due");
    db.exec("ALTER TABLE " + schema + ".tasks DROP COLUMN ready");
    db.exec("CREATE INDEX tasks_claim ON " + schema + ".tasks (queue, priority DESC, run_at, "
        + "id) WHERE status = 'WAITING' AND NOT held");
    db.exec("CREATE INDEX tasks_due ON " + schema + ".tasks (queue, run_at) WHERE status = "
        + "'WAITING' AND NOT held");
    db.exec("CREATE INDEX tasks_waiting ON " + schema + ".tasks (queue) WHERE status = "
        + "'WAITING'");
    db.exec("UPDATE " + schema + ".errand_schema SET version = 1");

    try (PostgresStore store = open()) {
      assertThat(store.tasks().waiting(Q)).isEqualTo(3);
      assertThat(store.tasks().waiting("other")).isEqualTo(1);
      assertThat(store.tasks().nextDue(Q)).contains(clock.instant());
      assertThat(claimed(store.tasks().claim(Q, "n", clock.instant())).id()).isEqualTo(high);
      assertThat(claimed(store.tasks().claim(Q, "n", clock.instant())).id()).isEqualTo(low);
      assertThat(store.tasks().claim(Q, "n", clock.instant())).isEqualTo(Claim.NONE_DUE);
      clock.advance(Duration.ofSeconds(60));
      assertThat(claimed(store.tasks().claim(Q, "n", clock.instant())).id()).isEqualTo(delayed);
      assertThat(store.tasks().waiting(Q)).isZero();
    }
    requireCurrent();
  }

  /** The schedules came after version 2: a version 2 schema gets them, its tasks kept. */
  @Test
  void aVersion2SchemaGetsSchedulesAndKeepsItsTasks() {
    long id;
    try (PostgresStore store = open()) {
      id = store.tasks().insert(task(Q).build()).id();
    }
    dropSchedules();
    db.exec("UPDATE " + schema + ".errand_schema SET version = 2");
    try (PostgresStore store = open()) {
      PostgresSchedules schedules = new PostgresSchedules(store);
      assertThat(schedules.create(Schedule.builder("nightly", Q, ScheduleSpec.parse("@daily"))
          .build(), clock.instant().plusSeconds(60))).isTrue();
      assertThat(schedules.find("nightly")).isPresent();
      assertThat(store.tasks().find(id)).isPresent();
    }
    requireCurrent();
  }

  /** Queue controls came after version 3: a version 3 schema gets them, and keeps a pause. */
  @Test
  void aVersion3SchemaGetsQueueControls() {
    long id;
    try (PostgresStore store = open()) {
      id = store.tasks().insert(task(Q).build()).id();
    }
    dropEventLog();
    db.exec("DROP INDEX " + schema + ".schedules_due");
    db.exec("DROP INDEX " + schema + ".schedules_held");
    db.exec("ALTER TABLE " + schema + ".schedules DROP COLUMN claimed_by, DROP COLUMN "
        + "claimed_until");
    db.exec("DROP INDEX " + schema + ".tasks_key");
    db.exec("DROP INDEX " + schema + ".tasks_created");
    db.exec("DROP TABLE " + schema + ".queue_controls");
    db.exec("UPDATE " + schema + ".errand_schema SET version = 3");
    try (PostgresStore store = open()) {
      assertThat(store.controls().paused()).isEmpty();
      assertThat(store.controls().pause(Q, clock.instant())).isTrue();
      assertThat(store.tasks().claim(Q, "n", clock.instant())).isEqualTo(Claim.NONE_DUE);
      assertThat(store.tasks().find(id)).isPresent();
    }
    requireCurrent();
  }

  /** The event log came after version 6: a version 6 schema gets it, and logs from then on. */
  @Test
  void aVersion6SchemaGetsTheEventLogAndItsTasksKeepTheirEvents() {
    long id;
    try (PostgresStore store = open()) {
      id = store.tasks().insert(task(Q).build()).id();
    }
    dropEventLog();
    db.exec("UPDATE " + schema + ".errand_schema SET version = 6");
    try (PostgresStore store = open()) {
      assertThat(claimed(store.tasks().claim(Q, "n", clock.instant())).id()).isEqualTo(id);
      db.exec("DO $$ BEGIN IF (SELECT count(*) FROM " + schema + ".events WHERE type = "
          + "'STARTED' AND task = " + id + ") <> 1 THEN RAISE EXCEPTION 'not logged'; END IF; "
          + "END $$");
    }
    requireCurrent();
  }

  /** Version 8 had no history: a version 8 schema gets the table, and two nodes add into it. */
  @Test
  void aVersion8SchemaGetsTheHistoryTable() {
    long id;
    try (PostgresStore store = open()) {
      id = store.tasks().insert(task(Q).build()).id();
    }
    dropHistory();
    db.exec("UPDATE " + schema + ".errand_schema SET version = 8");
    java.time.Instant minute = java.time.Instant.parse("2026-12-08T01:00:00Z");
    io.errand.api.HistoryBucket b = new io.errand.api.HistoryBucket(Q, minute, 1, 0, 1, 5, 5, 1,
        7, 7);
    try (PostgresStore store = open()) {
      store.history().orElseThrow().add(List.of(b));
      assertThat(store.tasks().find(id)).isPresent();
      assertThat(store.history().orElseThrow().read(Q, minute, minute.plusSeconds(60)))
          .containsExactly(b);
    }
    requireCurrent();
  }

  /** The history (after version 8): dropped with the event log by every older shape. */
  private void dropHistory() {
    db.exec("DROP TABLE " + schema + ".task_history");
  }

  private void dropEventLog() {
    dropHistory();
    db.exec("DROP TABLE " + schema + ".events");
    db.exec("DROP FUNCTION " + schema + ".log_added() CASCADE");
    db.exec("DROP FUNCTION " + schema + ".log_changed() CASCADE");
    db.exec("DROP FUNCTION " + schema + ".event_fence()");
  }

  private void dropSchedules() {
    dropEventLog();
    db.exec("DROP INDEX " + schema + ".tasks_key");
    db.exec("DROP INDEX " + schema + ".tasks_created");
    db.exec("DROP TABLE " + schema + ".queue_controls");
    db.exec("DROP TABLE " + schema + ".schedule_fires");
    db.exec("DROP TABLE " + schema + ".schedules");
  }

  private void requireCurrent() {
    db.exec("DO $$ BEGIN IF (SELECT version FROM " + schema + ".errand_schema) <> "
        + Schema.CURRENT + " OR to_regclass('" + schema + ".schedules') IS NULL OR to_regclass('"
        + schema + ".tasks_created') IS NULL OR to_regclass('" + schema
        + ".queue_controls') IS NULL OR to_regclass('" + schema + ".events') IS NULL"
        + " OR to_regclass('" + schema + ".task_history') IS NULL THEN "
        + "RAISE EXCEPTION 'not migrated'; END IF; END $$");
  }

  private PostgresStore open() {
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(2).build();
    store.open(new StoreContext(clock, new RecordingSignals(), new JsonTestCodec(Map.of()), "n"));
    return store;
  }
}
