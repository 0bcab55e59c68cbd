package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.io.File;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of one node's JVM mid-load, with a second node alive: the dead node's running
 * tasks run again on the live one once its lease has passed, none is lost, none is run by two
 * live nodes at once, and the only re-runs are of the tasks the dead node was running.
 */
class TaskKillTest {
  private static final int TASKS = 120;
  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private Process child;
  private Errand survivor;

  /** One recorded run of a task. */
  record Run(long task, String node, int attempt, Instant started, Instant ended) {}

  @BeforeEach
  void schema() {
    schema = db.freshSchema();
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor();
    }
    if (survivor != null) {
      survivor.close();
    }
    db.drop(schema);
  }

  @Test
  void theKilledNodesTasksRunAgainOnTheLiveNodeAfterTheLeaseAndNoneIsLost() throws Exception {
    survivor = TaskKillChild.node(db.url(), schema, "survivor"); // makes the schema
    db.exec("CREATE TABLE " + schema + ".runs (id bigserial PRIMARY KEY, task bigint, node text,"
        + " attempt int, started timestamptz, ended timestamptz)");
    child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), TaskKillChild.class.getName(), db.url(), schema,
        "victim").redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"), schema + "-victim.log"))
        .start();
    await().atMost(Duration.ofSeconds(60)).until(() ->
        survivor.cluster().orElseThrow().nodes().size() == 2);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      ids.add(survivor.submit("work", i));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> running("victim") >= 3);

    int rc = new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start().waitFor();
    assertThat(rc).isZero();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Instant killedAt = Instant.now();

    await().atMost(Duration.ofSeconds(120)).until(() -> ids.stream().allMatch(id ->
        survivor.get(id).map(TaskInfo::status).orElse(null) == TaskStatus.SUCCESS));
    Map<Long, List<Run>> runs = runs();
    List<Long> rerun = new ArrayList<>();
    for (long id : ids) {
      List<Run> mine = runs.get(id);
      TaskInfo info = survivor.get(id).orElseThrow();
      assertThat(mine).as("task %d ran", id).isNotEmpty();
      Run last = mine.getLast();
      assertThat(last.attempt()).as("task %d: its last run is its recorded attempt", id)
          .isEqualTo(info.attempt());
      assertThat(last.ended()).isNotNull();
      List<Run> earlier = mine.subList(0, mine.size() - 1);
      assertThat(earlier).as("task %d: only runs on the killed node are repeated", id)
          .allMatch(r -> r.node().equals("victim"));
      if (!earlier.isEmpty()) {
        rerun.add(id);
        assertThat(last.node()).isEqualTo("survivor");
        assertThat(last.started()).as("task %d re-ran only once its node was dead", id)
            .isAfter(killedAt.minusMillis(100));
        assertThat(earlier).hasSize(1);
        assertThat(last.attempt()).isEqualTo(earlier.get(0).attempt() + 1);
      }
    }
    assertThat(rerun).as("re-runs: the tasks running on the killed node").isNotEmpty()
        .hasSizeLessThanOrEqualTo(4);
  }

  private int running(String node) {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".runs WHERE node = '"
            + node + "' AND ended IS NULL")) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      return 0; // the table is not there yet
    }
  }

  private Map<Long, List<Run>> runs() throws java.sql.SQLException {
    Map<Long, List<Run>> all = new HashMap<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT task, node, attempt, started, ended FROM " + schema
            + ".runs ORDER BY id")) {
      while (rs.next()) {
        Timestamp ended = rs.getTimestamp(5);
        all.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Run(rs.getLong(1),
            rs.getString(2), rs.getInt(3), rs.getTimestamp(4).toInstant(),
            ended == null ? null : ended.toInstant()));
      }
    }
    return all;
  }
}
