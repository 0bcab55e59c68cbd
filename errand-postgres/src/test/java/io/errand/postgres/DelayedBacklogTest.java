package io.errand.postgres;

import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.spi.GroupKind;
import io.errand.spi.NewTask;
import io.errand.spi.StoreContext;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.NewTasks;
import io.errand.spi.contract.RecordingSignals;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a backlog of tasks that are not due yet costs the statements run on every claim, idle
 * wake-up and submit, read from {@code EXPLAIN (ANALYZE, BUFFERS)} as the pages they touch
 * (not timed): the same statement over 100 and over 20,000 delayed tasks must touch about as
 * many, with the plan PostgreSQL makes for the values (custom) and the one it may keep for a
 * prepared statement (generic). Each statement runs in a transaction that is rolled back.
 */
class DelayedBacklogTest {
  private static final String Q = "mail";
  private static final int SMALL = 100;
  private static final int LARGE = 20_000;
  /** Room for one more level of each B-tree a statement probes or changes. */
  private static final long SLACK = 16;

  private final TestDatabase db = TestDatabase.get();
  private final List<String> schemas = new ArrayList<>();

  @BeforeEach
  void names() {
    schemas.add(db.freshSchema());
    schemas.add(db.freshSchema());
  }

  @AfterEach
  void drop() {
    schemas.forEach(db::drop);
  }

  @Test
  void aClaimThatFindsNothingDueDoesNotWalkTheDelayedTasks() throws Exception {
    long small = pages(schemas.get(0), SMALL, Attempts.CLAIM, Kind.CLAIM);
    long large = pages(schemas.get(1), LARGE, Attempts.CLAIM, Kind.CLAIM);

    assertThat(large).as("pages over %d delayed tasks, against %d over %d", LARGE, small, SMALL)
        .isLessThanOrEqualTo(small + SLACK);
  }

  @Test
  void markingDueTasksReadyDoesNotWalkTheDelayedTasks() throws Exception {
    long small = pages(schemas.get(0), SMALL, Attempts.PROMOTE, Kind.PROMOTE);
    long large = pages(schemas.get(1), LARGE, Attempts.PROMOTE, Kind.PROMOTE);

    assertThat(large).as("pages over %d delayed tasks, against %d over %d", LARGE, small, SMALL)
        .isLessThanOrEqualTo(small + SLACK);
  }

  /** The marking that also answers the next delayed task's time ({@link DueMarks}). */
  @Test
  void markingAndFindingTheNextDelayedTaskDoesNotWalkTheDelayedTasks() throws Exception {
    long small = pages(schemas.get(0), SMALL, Attempts.PROMOTE_NEXT, Kind.PROMOTE_TWICE);
    long large = pages(schemas.get(1), LARGE, Attempts.PROMOTE_NEXT, Kind.PROMOTE_TWICE);

    assertThat(large).as("pages over %d delayed tasks, against %d over %d", LARGE, small, SMALL)
        .isLessThanOrEqualTo(small + SLACK);
  }

  @Test
  void findingTheNextDueTimeDoesNotWalkTheWaitingTasks() throws Exception {
    long small = pages(schemas.get(0), SMALL, Reads.NEXT_DUE, Kind.QUEUE_TWICE);
    long large = pages(schemas.get(1), LARGE, Reads.NEXT_DUE, Kind.QUEUE_TWICE);

    assertThat(large).as("pages over %d tasks, against %d over %d", LARGE, small, SMALL)
        .isLessThanOrEqualTo(small + SLACK);
  }

  /** An insert's capacity check reads the queue's count, not its waiting tasks. */
  @Test
  void aSubmitsCapacityCheckDoesNotCountTheWaitingTasks() throws Exception {
    long small = pages(schemas.get(0), SMALL, WaitingCounts.COUNT, Kind.QUEUE);
    long large = pages(schemas.get(1), LARGE, WaitingCounts.COUNT, Kind.QUEUE);

    assertThat(large).as("pages over %d tasks, against %d over %d", LARGE, small, SMALL)
        .isLessThanOrEqualTo(small + SLACK);
    assertThat(waiting(schemas.get(1))).isEqualTo(LARGE + 1);
  }

  /** How a statement's parameters are bound, the store's way. */
  private enum Kind { CLAIM, PROMOTE, PROMOTE_TWICE, QUEUE, QUEUE_TWICE }

  /**
   * The most shared pages {@code sql} touches, under a custom and a generic plan, on a schema
   * holding {@code delayed} tasks due tomorrow, of priorities 0 to 9, and one due task that
   * only a promotion marks ready.
   */
  private long pages(String schema, int delayed, String sql, Kind kind) throws SQLException {
    fill(schema, delayed);
    return Math.max(pages(schema, sql, kind, "force_custom_plan"),
        pages(schema, sql, kind, "force_generic_plan"));
  }

  private void fill(String schema, int delayed) {
    Instant now = NewTasks.T0;
    try (PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(2)
        .build()) {
      store.open(new StoreContext(InstantSource.fixed(now), new RecordingSignals(),
          new JsonTestCodec(Map.of()), "n"));
      List<NewTask> tasks = new ArrayList<>();
      for (int i = 0; i < delayed; i++) {
        tasks.add(task(Q).runAt(now.plus(Duration.ofDays(1))).priority(i % 10).build());
      }
      store.groups().insert(tasks, GroupKind.BATCH);
      store.tasks().insert(task(Q).createdAt(now.minusSeconds(5)).runAt(now.minusSeconds(1))
          .priority(-1).build());
    }
    db.exec("ANALYZE " + schema + ".tasks"); // as autovacuum would have by now
  }

  /**
   * The pages of {@code sql} run as a prepared statement ({@code PREPARE}, then {@code EXPLAIN
   * EXECUTE}), so that {@code plan_cache_mode} decides between a plan for the values and a
   * generic one, as it does for the store's statements once the driver prepares them.
   */
  private long pages(String schema, String sql, Kind kind, String planMode) throws SQLException {
    String now = "'" + NewTasks.T0 + "'::timestamptz";
    String args = switch (kind) {
      case CLAIM -> now + ", 'n', 1, '" + Q + "', " + now + ", 8"; // a claim of up to 8
      case PROMOTE -> "'" + Q + "', " + now;
      case PROMOTE_TWICE -> "'" + Q + "', " + now + ", '" + Q + "', " + now;
      case QUEUE -> "'" + Q + "'";
      case QUEUE_TWICE -> "'" + Q + "', '" + Q + "'";
    };
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        s.execute("SET plan_cache_mode = " + planMode);
        s.execute("PREPARE probe AS " + numbered(Schema.qualify(schema, sql)));
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE "
            + "probe(" + args + ")")) {
          rs.next();
          JsonNode plan = new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
          return plan.get("Shared Hit Blocks").asLong() + plan.get("Shared Read Blocks").asLong();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new AssertionError(e);
        }
      } finally {
        c.rollback();
      }
    }
  }

  /** {@code sql} with its {@code ?} parameters numbered {@code $1, $2...} for PREPARE. */
  private static String numbered(String sql) {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (char ch : sql.toCharArray()) {
      if (ch == '?') {
        out.append('$').append(++n);
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  private long waiting(String schema) {
    try (PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(1)
        .build()) {
      store.open(new StoreContext(InstantSource.system(), new RecordingSignals(),
          new JsonTestCodec(Map.of()), "n"));
      return store.tasks().waiting(Q);
    }
  }
}
