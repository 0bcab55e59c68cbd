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
import io.errand.api.ConcurrencyKey;
import io.errand.api.RateLimit;
import io.errand.spi.FlowLimits;
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

  /** Flow limits came after version 10: a version 10 schema gets them, and keeps its pause. */
  @Test
  void aVersion10SchemaGetsFlowLimitsAndKeepsItsPause() {
    long id;
    try (PostgresStore store = open()) {
      id = store.tasks().insert(task(Q).args(Map.of("tenant", "a")).build()).id();
      store.tasks().insert(task(Q).args(Map.of("tenant", "a")).build());
      store.controls().pause("other", clock.instant());
    }
    dropFlow();
    db.exec("UPDATE " + schema + ".errand_schema SET version = 10");
    try (PostgresStore store = open()) {
      assertThat(store.controls().paused()).containsOnlyKeys("other");
      store.controls().limitFlow(Q, new FlowLimits(ConcurrencyKey.argsField("tenant"), 1, null,
          new RateLimit(5, Duration.ofMinutes(1))));
      assertThat(claimed(store.tasks().claim(Q, "n", clock.instant())).id()).isEqualTo(id);
      assertThat(store.tasks().claim(Q, "n", clock.instant())).isEqualTo(Claim.NONE_DUE);
    }
    requireCurrent();
    db.exec("DO $$ BEGIN IF (SELECT count(*) FROM " + schema + ".flow_starts) <> 1 THEN "
        + "RAISE EXCEPTION 'start not kept'; END IF; END $$");
  }

  /** Takes away what version 10 added. */
  private void dropFlow() {
    db.exec("DROP TABLE " + schema + ".flow_starts");
    db.exec("ALTER TABLE " + schema + ".queue_controls DROP COLUMN key_cursor");
  }

  /** Version 8 had no history: a version 8 schema gets the table, and two nodes add into it. */
  @Test
  void aVersion8SchemaGetsTheHistoryTable() {
    long id;
    try (PostgresStore store = open()) {
      id = store.tasks().insert(task(Q).build()).id();
    }
    dropFlow();
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

  /**
   * Version 11 kept schedules at the default fillfactor: a version 11 schema gets room for HOT
   * updates on the schedules table, and its schedules go on firing.
   */
  @Test
  void aVersion11SchemaGetsSchedulesWithRoomForUpdatesInPlace() {
    java.time.Instant due = java.time.Instant.parse("2026-12-08T01:00:00Z");
    try (PostgresStore store = open()) {
      store.schedules().orElseThrow().create(Schedule.builder("s", Q,
          ScheduleSpec.parse("* * * * *")).args("x").build(), due);
    }
    db.exec("ALTER TABLE " + schema + ".schedules RESET (fillfactor, "
        + "autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)");
    db.exec("UPDATE " + schema + ".errand_schema SET version = 11");
    try (PostgresStore store = open()) {
      io.errand.spi.NewTask fire = task(Q).createdAt(due).key("schedule:s@" + due).build();
      assertThat(store.schedules().orElseThrow().advance("s", due,
          new io.errand.spi.ScheduleStep.Fire(due, fire, due.plusSeconds(60)))).isPresent();
    }
    db.exec("DO $$ BEGIN IF NOT (SELECT reloptions @> ARRAY['fillfactor=50'] FROM pg_class "
        + "WHERE oid = '" + schema + ".schedules'::regclass) THEN RAISE EXCEPTION "
        + "'no fillfactor'; END IF; END $$");
    requireCurrent();
  }

  /** The history (after version 8): dropped with the event log by every older shape. */
  private void dropHistory() {
    db.exec("DROP TABLE " + schema + ".task_history");
  }

  /**
   * Version 10: the event triggers stop notifying. A version 9 schema (triggers of version 7,
   * notifying at each writing commit) gets the quiet ones, and still logs.
   */
  @Test
  void aVersion9SchemaGetsEventTriggersThatDoNotNotify() {
    try (PostgresStore store = open()) {
      store.tasks().insert(task(Q).build());
    }
    for (String sql : EventLogSchema.MIGRATION) {
      if (sql.contains("CREATE OR REPLACE FUNCTION {s}.log_")) {
        db.exec(Schema.qualify(schema, sql)); // version 7's functions, which notify
      }
    }
    dropFlow(); // version 11's, which a version 9 schema does not have
    db.exec("UPDATE " + schema + ".errand_schema SET version = 9");
    requireTriggersNotify(true);
    long id;
    try (PostgresStore store = open()) {
      id = store.tasks().insert(task(Q).build()).id();
    }
    requireTriggersNotify(false);
    db.exec("DO $$ BEGIN IF (SELECT count(*) FROM " + schema + ".events WHERE type = "
        + "'ADDED' AND task = " + id + ") <> 1 THEN RAISE EXCEPTION 'not logged'; END IF; "
        + "END $$");
    requireCurrent();
  }

  private void requireTriggersNotify(boolean notify) {
    db.exec("DO $$ BEGIN IF (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = "
        + "p.pronamespace WHERE n.nspname = '" + schema + "' AND p.proname IN ('log_added', "
        + "'log_changed') AND p.prosrc LIKE '%pg_notify%') <> " + (notify ? 2 : 0)
        + " THEN RAISE EXCEPTION 'triggers notify: not " + notify + "'; END IF; END $$");
  }

  private void dropEventLog() {
    dropFlow();
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
