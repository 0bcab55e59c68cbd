package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleInfo;
import io.errand.api.ScheduleSpec;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Two Errand nodes on one PostgreSQL schema, both running the same schedules with the real
 * clock: every occurrence yields exactly one task whichever node fires it, and a change made
 * on one node takes effect on both without a restart.
 */
class TwoNodeSchedulesTest extends TwoErrandNodes {
  private static final Duration SECOND = Duration.ofSeconds(1);

  private final Map<String, String> argsSeen = new ConcurrentHashMap<>();

  @Override
  Errand node(String name) {
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(6).build();
    QueueSpec<String, String> ticks = QueueSpec.builder("ticks", String.class, ctx -> {
      argsSeen.put(ctx.args() == null ? "" : ctx.args(), name);
      return ctx.args();
    }).workers(2).build();
    return Errand.builder().store(store).node(name)
        .queue(ticks).shutdownGrace(Duration.ofSeconds(5)).build();
  }

  private static Schedule everySecond(String name, MissedRunPolicy missed) {
    return Schedule.builder(name, "ticks", ScheduleSpec.every(SECOND)).args(name).missed(missed)
        .overlap(OverlapPolicy.ALLOW).build();
  }

  private int tasksOf(String schedule) {
    return ScheduleTally.tasks(db, schema).getOrDefault(schedule, Map.of()).values().stream()
        .mapToInt(Integer::intValue).sum();
  }

  @Test
  void everyOccurrenceOfSchedulesRacedByTwoNodesYieldsExactlyOneTask() {
    Map<String, Instant> firstDue = new LinkedHashMap<>();
    List<String> catchUp = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      boolean catching = i % 2 == 0;
      String name = (catching ? "catch-up-" : "skip-") + i;
      Schedule s = everySecond(name, catching ? MissedRunPolicy.catchUp(Duration.ofHours(1))
          : MissedRunPolicy.skip());
      ScheduleInfo created = (i % 2 == 0 ? a : b).schedules().create(s);
      firstDue.put(name, created.nextDue());
      if (catching) {
        catchUp.add(name);
      }
    }
    Instant until = firstDue.values().stream().max(Instant::compareTo).orElseThrow()
        .plusSeconds(8);
    await().atMost(Duration.ofSeconds(60)).until(() -> firstDue.keySet().stream().allMatch(
        name -> a.schedules().get(name).orElseThrow().nextDue().isAfter(until)));
    a.close();
    b.close(); // nothing fires any more: the store's next_due is where each schedule stopped

    Map<String, Map<Instant, Integer>> fired = ScheduleTally.tasks(db, schema);
    Map<String, Instant> nextDue = ScheduleTally.nextDue(db, schema);
    for (String name : firstDue.keySet()) {
      List<Instant> expected = ScheduleTally.between(firstDue.get(name), nextDue.get(name), SECOND);
      Map<Instant, Integer> tasks = fired.getOrDefault(name, Map.of());
      assertThat(expected).as(name).hasSizeGreaterThanOrEqualTo(9);
      assertThat(tasks.values()).as(name + ": tasks per occurrence").allMatch(n -> n == 1);
      if (catchUp.contains(name)) {
        assertThat(tasks.keySet()).as(name).containsExactlyElementsOf(expected);
      } else {
        assertThat(expected).as(name).containsAll(tasks.keySet());
      }
    }
  }

  @Test
  void aPauseUpdateResumeAndDeleteMadeOnOneNodeTakeEffectOnBoth() {
    a.schedules().create(everySecond("watched", MissedRunPolicy.skip()));
    a.schedules().create(everySecond("witness", MissedRunPolicy.skip()));
    await().atMost(Duration.ofSeconds(30)).until(() -> tasksOf("watched") >= 2);

    b.schedules().pause("watched");
    int atPause = tasksOf("watched"); // a fire commits before the pause or not at all
    int witness = tasksOf("witness");
    // both runners re-read the schedules at least once a second: three more witness fires
    // mean both have seen the pause
    await().atMost(Duration.ofSeconds(30)).until(() -> tasksOf("witness") >= witness + 3);
    assertThat(tasksOf("watched")).isEqualTo(atPause);

    b.schedules().update(a.schedules().get("watched").orElseThrow().schedule().toBuilder()
        .args("watched-v2").build());
    a.schedules().resume("watched");
    await().atMost(Duration.ofSeconds(30)).until(() -> argsSeen.containsKey("watched-v2"));
    assertThat(a.schedules().get("watched").orElseThrow().last().orElseThrow().status())
        .isIn(TaskStatus.WAITING, TaskStatus.RUNNING, TaskStatus.SUCCESS);

    assertThat(a.schedules().delete("watched")).isTrue();
    int atDelete = tasksOf("watched");
    int witnessAtDelete = tasksOf("witness");
    await().atMost(Duration.ofSeconds(30)).until(() -> tasksOf("witness") >= witnessAtDelete + 3);
    assertThat(tasksOf("watched")).isEqualTo(atDelete);
    assertThat(b.schedules().get("watched")).isEmpty();
  }
}
