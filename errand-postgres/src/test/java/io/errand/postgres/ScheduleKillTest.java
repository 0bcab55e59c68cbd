package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.spi.StoreContext;
import io.errand.spi.contract.JsonTestCodec;
import io.errand.spi.contract.RecordingSignals;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A child JVM running per-second schedules on PostgreSQL is killed with SIGKILL at a random
 * moment and restarted, several times: with {@code catch_up} every occurrence of the whole
 * window yields exactly one task (the ones due while it was down too); with {@code skip} none
 * yields two.
 */
class ScheduleKillTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final int KILLS = 5;

  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private Process child;

  @BeforeEach
  void schema() {
    schema = db.freshSchema();
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor();
    }
    db.drop(schema);
  }

  @Test
  void afterRepeatedKillsEveryCaughtUpOccurrenceHasOneTaskAndNoSkipOccurrenceHasTwo()
      throws Exception {
    Map<String, Instant> firstDue = createSchedules();
    for (int round = 0; round < KILLS; round++) {
      child = startChild("child-" + round);
      int before = total();
      // it fires: the node is up and deciding (the kill then lands anywhere in its work)
      await("round " + round + " fires").atMost(PATIENCE).until(() -> total() >= before + 4);
      // a random point within a second, so kills land in and between fire transactions
      Thread.sleep(ThreadLocalRandom.current().nextInt(1000));
      kill(child);
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(137);
    }
    Instant lastKill = Instant.now();
    child = startChild("child-last");
    // every occurrence due up to the last kill (and a little after) is decided
    await("the last start catches up").atMost(PATIENCE).until(() -> ScheduleTally.nextDue(db,
        schema).values().stream().allMatch(due -> due.isAfter(lastKill.plusSeconds(3))));
    kill(child);
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Map<String, Map<Instant, Integer>> fired = ScheduleTally.tasks(db, schema);
    Map<String, Instant> nextDue = ScheduleTally.nextDue(db, schema);
    for (String name : firstDue.keySet()) {
      List<Instant> expected = ScheduleTally.between(firstDue.get(name), nextDue.get(name),
          SECOND);
      Map<Instant, Integer> tasks = fired.getOrDefault(name, Map.of());
      assertThat(tasks.values()).as(name + ": tasks per occurrence").allMatch(n -> n == 1);
      if (name.startsWith("catch-up")) {
        assertThat(tasks.keySet()).as(name).containsExactlyElementsOf(expected);
      } else {
        assertThat(expected).as(name).containsAll(tasks.keySet());
      }
    }
  }

  /** Two per-second schedules of each policy, made before any child runs; their first occurrences. */
  private Map<String, Instant> createSchedules() {
    Map<String, Instant> firstDue = new java.util.TreeMap<>();
    try (PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(2).build()) {
      store.open(new StoreContext(InstantSource.system(), new RecordingSignals(),
          new JsonTestCodec(Map.of()), "maker"));
      PostgresSchedules schedules = new PostgresSchedules(store);
      Instant first = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
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

  private int total() {
    return ScheduleTally.tasks(db, schema).values().stream()
        .mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).sum();
  }

  private Process startChild(String node) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ScheduleChild.class.getName(), db.url(), schema, node)
        .redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"), schema + "-" + node + ".log"))
        .start();
  }

  private static void kill(Process p) throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).inheritIO().start()
        .waitFor();
    assertThat(rc).as("kill -KILL " + p.pid()).isZero();
  }
}
