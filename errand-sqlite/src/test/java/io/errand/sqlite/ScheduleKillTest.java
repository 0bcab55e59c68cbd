package io.errand.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoreContext;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.RecordingSignals;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM running per-second schedules on a SQLite file is killed with SIGKILL at a random
 * moment and restarted, several times: with {@code catch_up} every occurrence of the whole
 * window yields exactly one task (the ones due while it was down too); with {@code skip} none
 * yields two. Counted from the file against the expected set of occurrences.
 */
class ScheduleKillTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final int KILLS = 5;

  @TempDir
  Path dir;
  private Path file;
  private Process child;

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor();
    }
  }

  @Test
  void afterRepeatedKillsEveryCaughtUpOccurrenceHasOneTaskAndNoSkipOccurrenceHasTwo()
      throws Exception {
    file = dir.resolve("errand.db");
    Map<String, Instant> firstDue = createSchedules();
    for (int round = 0; round < KILLS; round++) {
      child = startChild("child-" + round);
      int before = total();
      // it fires: the node is up and deciding (the kill then lands anywhere in its work)
      await("round " + round + " fires").atMost(PATIENCE).until(() -> total() >= before + 4);
      // a random point within a second, so kills land in and between fire transactions
      Thread.sleep(ThreadLocalRandom.current().nextInt(1000));
      Sigkill.of(child);
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(137);
    }
    Instant lastKill = Instant.now();
    child = startChild("child-last");
    // every occurrence due up to the last kill (and a little after) is decided
    await("the last start catches up").atMost(PATIENCE).until(() -> nextDue().values().stream()
        .allMatch(due -> due.isAfter(lastKill.plusSeconds(3))));
    Sigkill.of(child);
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Map<String, Map<Instant, Integer>> fired = tasks();
    Map<String, Instant> nextDue = nextDue();
    for (String name : firstDue.keySet()) {
      List<Instant> expected = new ArrayList<>();
      for (Instant t = firstDue.get(name); t.isBefore(nextDue.get(name)); t = t.plus(SECOND)) {
        expected.add(t);
      }
      Map<Instant, Integer> tasks = fired.getOrDefault(name, Map.of());
      assertThat(tasks.values()).as(name + ": tasks per occurrence").allMatch(n -> n == 1);
      if (name.startsWith("catch-up")) {
        assertThat(tasks.keySet()).as(name).containsExactlyElementsOf(expected);
      } else {
        assertThat(expected).as(name).containsAll(tasks.keySet());
        assertThat(tasks).as(name + " fired while a child was up").isNotEmpty();
      }
    }
  }

  /** Two per-second schedules of each policy, made before any child runs; their first occurrences. */
  private Map<String, Instant> createSchedules() {
    Map<String, Instant> firstDue = new TreeMap<>();
    try (SqliteStore store = SqliteStore.at(file)) {
      store.open(new StoreContext(InstantSource.system(), new RecordingSignals(),
          new JsonTestCodec(Map.of()), "maker"));
      ScheduleStore schedules = store.schedules().orElseThrow();
      Instant first = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
      for (String name : List.of("catch-up-1", "catch-up-2", "skip-1", "skip-2")) {
        MissedRunPolicy missed = name.startsWith("catch-up")
            ? MissedRunPolicy.catchUp(Duration.ofHours(1)) : MissedRunPolicy.skip();
        schedules.create(Schedule.builder(name, "ticks", ScheduleSpec.every(SECOND)).args(name)
            .missed(missed).overlap(OverlapPolicy.ALLOW).build(), first);
        firstDue.put(name, first);
      }
    }
    return firstDue;
  }

  private Process startChild(String name) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ScheduleChild.class.getName(), file.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile())
        .start();
  }

  private int total() {
    return tasks().values().stream()
        .mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).sum();
  }

  /** For each schedule, the tasks of each occurrence that has any, read from the file. */
  private Map<String, Map<Instant, Integer>> tasks() {
    Map<String, Map<Instant, Integer>> out = new TreeMap<>();
    query("SELECT key, count(*) FROM tasks WHERE key LIKE 'schedule:%' GROUP BY key", rs -> {
      String key = rs.getString(1);
      int at = key.lastIndexOf('@');
      out.computeIfAbsent(key.substring("schedule:".length(), at), k -> new TreeMap<>())
          .put(Instant.parse(key.substring(at + 1)), rs.getInt(2));
    });
    return out;
  }

  /** Each schedule's first occurrence not yet decided, as the file has it. */
  private Map<String, Instant> nextDue() {
    Map<String, Instant> out = new TreeMap<>();
    query("SELECT name, next_due FROM schedules", rs -> out.put(rs.getString(1),
        Instant.EPOCH.plus(rs.getLong(2), ChronoUnit.MICROS)));
    return out;
  }

  private interface Row {
    void read(ResultSet rs) throws SQLException;
  }

  /** Reads the file beside the child that owns it (WAL: a reader never blocks its writer). */
  private void query(String sql, Row row) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000"); // the child may be recovering or checkpointing
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          row.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
