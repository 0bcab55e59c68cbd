package io.errand.postgres;

import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.ScheduleStep;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoreContext;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.RecordingSignals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresSchedules#fireAll} beyond the contract suite: the one statement
 * ({@link FireStatement}) gives way to the careful transaction when a unique index refuses a
 * row, and prunes old fire records a few at a time by the primary key.
 */
class ScheduleFiresTest {
  private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant NEXT = T.plus(Duration.ofMinutes(1));

  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private PostgresStore store;
  private PostgresSchedules schedules;

  @BeforeEach
  void open() {
    schema = db.freshSchema();
    store = PostgresStore.builder(db.url()).schema(schema).poolSize(2).build();
    store.open(new StoreContext(InstantSource.system(), new RecordingSignals(),
        new JsonTestCodec(Map.of()), "node-a"));
    schedules = new PostgresSchedules(store);
  }

  @AfterEach
  void close() {
    store.close();
    db.drop(schema);
  }

  private static Schedule minutely(String name) {
    return Schedule.builder(name, "q", ScheduleSpec.parse("* * * * *")).args("x").build();
  }

  private static String key(String name) {
    return "schedule:" + name + "@" + T;
  }

  private static ScheduleStore.DueFire fire(String name) {
    NewTask task = task("q").createdAt(T).runAt(T).key(key(name)).build();
    return new ScheduleStore.DueFire(name, T, new ScheduleStep.Fire(T, task, NEXT));
  }

  @Test
  void aRowRefusedByAUniqueIndexSendsTheBatchTheCarefulWayAndEveryFireIsStillApplied() {
    for (String name : List.of("a", "b", "c")) {
      schedules.create(minutely(name), T);
    }
    // a live task already has b's key: the statement's insert fails on tasks_live_key
    Inserted live = store.tasks().insert(task("q").key(key("b")).build());

    List<ScheduleStore.FireResult> results =
        schedules.fireAll(List.of(fire("a"), fire("b"), fire("c")));

    assertThat(results).allMatch(r -> r.applied().isPresent() && r.refused() == null);
    assertThat(results.get(1).applied().orElseThrow().taskId()).isEqualTo(live.id());
    for (String name : List.of("a", "b", "c")) {
      assertThat(schedules.find(name).orElseThrow().nextDue()).isEqualTo(NEXT);
    }
    assertThat(count("SELECT count(*) FROM {s}.tasks")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM {s}.schedule_fires")).isEqualTo(3);
  }

  @Test
  void eachFirePrunesAFewFireRecordsOlderThanADayByItsSchedule() {
    schedules.create(minutely("a"), T);
    schedules.create(minutely("b"), T);
    int old = FireStatement.PRUNE + 2;
    for (int i = 1; i <= old; i++) {
      db.exec("INSERT INTO " + schema + ".schedule_fires (schedule, occurrence, task, fired_at) "
          + "VALUES ('a', timestamptz '" + T + "' - interval '" + (24 * 60 + i) + " minutes', "
          + i + ", now()), ('b', timestamptz '" + T + "' - interval '" + i + " minutes', " + i
          + ", now())");
    }

    schedules.fireAll(List.of(fire("a"), fire("b")));

    // a: the PRUNE oldest of its records older than a day went; b: nothing is a day old
    assertThat(count("SELECT count(*) FROM {s}.schedule_fires WHERE schedule = 'a'"))
        .isEqualTo(old - FireStatement.PRUNE + 1);
    assertThat(count("SELECT count(*) FROM {s}.schedule_fires WHERE schedule = 'a' AND "
        + "occurrence < timestamptz '" + T + "' - interval '" + (24 * 60 + 2) + " minutes'"))
        .as("the oldest went first").isZero();
    assertThat(count("SELECT count(*) FROM {s}.schedule_fires WHERE schedule = 'b'"))
        .isEqualTo(old + 1);
  }

  private long count(String sql) {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement(sql.replace("{s}", schema));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(sql, e);
    }
  }
}
