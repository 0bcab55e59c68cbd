package io.errand.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.ManualClock;
import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.memory.MemorySchedules;
import io.errand.memory.MemoryStore;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoreContext;
import io.errand.spi.StoreSignals;
import io.errand.spi.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Exactly once per occurrence when several deciders race on one store: real threads, each with
 * its own {@link ScheduleRunner} (as nodes would have), deciding the same due occurrences at
 * the same moment.
 */
class ScheduleRaceTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private static final int DECIDERS = 6;

  private final ManualClock clock = new ManualClock(T0);
  private final MemoryStore tasks = new MemoryStore();
  private final ScheduleStore schedules = new MemorySchedules(tasks);
  private final QueueSpec<Object, Object> queue =
      QueueSpec.builder("jobs", Object.class, ctx -> null).build();

  ScheduleRaceTest() {
    tasks.open(new StoreContext(clock, new StoreSignals() {
      @Override
      public void added(long id, String queue, String key, Instant createdAt) {}

      @Override
      public void workAvailable(String queue) {}

      @Override
      public void cancelRequested(long id) {}

      @Override
      public void ended(TaskRecord record) {}
    }, new JsonCodec(new com.fasterxml.jackson.databind.ObjectMapper(), name -> Object.class,
        name -> Object.class, name -> false), "test"));
  }

  private ScheduleRunner runner() {
    Function<String, QueueSpec<?, ?>> queues = name -> queue;
    return new ScheduleRunner(schedules, tasks, new ScheduleTasks(queues), clock,
        new TaskEvents(new EventBus(16), clock, null), (id, reason) -> { }, () -> false);
  }

  @Test
  void racingDecidersFireEachOccurrenceOnce() throws Exception {
    schedules.create(Schedule.builder("tick", "jobs", ScheduleSpec.every(Duration.ofSeconds(10)))
        .missed(MissedRunPolicy.catchUp(Duration.ofDays(1)))
        .overlap(OverlapPolicy.ALLOW) // nothing runs the tasks here: they all stay live
        .build(), T0.plusSeconds(10));
    List<ScheduleRunner> runners = new ArrayList<>();
    for (int i = 0; i < DECIDERS; i++) {
      runners.add(runner());
    }
    ExecutorService pool = Executors.newFixedThreadPool(DECIDERS);
    try {
      for (int round = 0; round < 200; round++) {
        // Up to 7 occurrences come due per round (catch-up fires each one).
        clock.advance(Duration.ofSeconds(1 + round % 70));
        Instant now = clock.instant();
        CyclicBarrier together = new CyclicBarrier(DECIDERS);
        List<Future<?>> done = new ArrayList<>();
        for (ScheduleRunner r : runners) {
          done.add(pool.submit(() -> {
            together.await();
            return r.tick(now);
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    Instant end = clock.instant();
    List<Instant> expected = new ArrayList<>();
    for (Instant at = T0.plusSeconds(10); !at.isAfter(end); at = at.plusSeconds(10)) {
      expected.add(at);
    }
    Map<String, Long> perKey = allTasks().stream()
        .collect(Collectors.groupingBy(TaskInfo::key, Collectors.counting()));
    assertThat(perKey.values()).allMatch(n -> n == 1);
    assertThat(perKey.keySet()).containsExactlyInAnyOrderElementsOf(
        expected.stream().map(at -> ScheduleTasks.key("tick", at)).toList());
    assertThat(schedules.find("tick").orElseThrow().nextDue()).isEqualTo(expected.get(expected.size() - 1).plusSeconds(10));
  }

  private List<TaskInfo> allTasks() {
    List<TaskInfo> all = new ArrayList<>();
    TaskQuery q = TaskQuery.newest(TaskQuery.MAX_LIMIT);
    while (true) {
      var page = tasks.tasks().list(q);
      page.items().forEach(r -> all.add(r.info()));
      if (!page.hasMore()) {
        return all;
      }
      q = q.after(page.nextCursor());
    }
  }
}
