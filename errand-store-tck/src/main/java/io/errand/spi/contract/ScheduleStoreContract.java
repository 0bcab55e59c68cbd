package io.errand.spi.contract;

import static io.errand.spi.contract.NewTasks.T0;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.ManualClock;
import io.errand.api.MissedRunPolicy;
import io.errand.api.OverlapPolicy;
import io.errand.api.QueueFullException;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.api.ScheduleState;
import io.errand.api.TaskQuery;
import io.errand.spi.NewTask;
import io.errand.spi.ScheduleStep;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoreContext;
import io.errand.spi.StoredSchedule;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ScheduleStore} must have. A store module runs it unchanged by
 * extending this class: {@link #newTaskStore()} gives a fresh task store (opened here with a
 * {@link ManualClock} at {@link NewTasks#T0}); the schedule store under test is its
 * {@link TaskStore#schedules()} role.
 */
public abstract class ScheduleStoreContract {
  /** The queue the schedules submit to. */
  protected static final String Q = "reports";
  private static final Instant H1 = T0.plus(Duration.ofHours(1));
  private static final Instant H2 = T0.plus(Duration.ofHours(2));
  private static final Instant H3 = T0.plus(Duration.ofHours(3));

  protected ManualClock clock;
  protected TaskStore tasks;
  protected ScheduleStore schedules;

  /** A new, empty task store, not yet opened. */
  protected abstract TaskStore newTaskStore();

  /** The schedule role of {@code tasks} (already opened); a store under this contract has one. */
  protected ScheduleStore scheduleStore(TaskStore tasks) {
    return tasks.schedules().orElseThrow();
  }

  @BeforeEach
  void openStores() {
    clock = new ManualClock(T0);
    tasks = newTaskStore();
    tasks.open(new StoreContext(clock, new RecordingSignals(), new JsonTestCodec(Map.of()), "node-a"));
    schedules = scheduleStore(tasks);
  }

  @AfterEach
  void closeStores() {
    tasks.close();
  }

  private static Schedule hourly(String name) {
    return Schedule.builder(name, Q, ScheduleSpec.parse("@hourly")).args("fixed").build();
  }

  private static NewTask taskOf(String schedule, Instant occurrence) {
    return task(Q).createdAt(occurrence).key("schedule:" + schedule + "@" + occurrence).build();
  }

  private StoredSchedule stored(String name) {
    return schedules.find(name).orElseThrow();
  }

  private List<TaskRecord> allTasks() {
    return tasks.tasks().list(TaskQuery.newest(TaskQuery.MAX_LIMIT)).items();
  }

  @Test
  void createAddsAnActiveScheduleOnceAndRefusesASecondWithTheName() {
    assertThat(schedules.create(hourly("a"), H1)).isTrue();
    assertThat(schedules.create(hourly("a").toBuilder().queue("other").build(), H2)).isFalse();
    StoredSchedule a = stored("a");
    assertThat(a.schedule().queue()).isEqualTo(Q);
    assertThat(a.schedule().spec()).isEqualTo(ScheduleSpec.parse("@hourly"));
    assertThat(a.state()).isEqualTo(ScheduleState.ACTIVE);
    assertThat(a.nextDue()).isEqualTo(H1);
    assertThat(a.held()).isNull();
    assertThat(a.lastRun()).isNull();
  }

  @Test
  void theDefinitionComesBackWithItsTextFormsAndFixedArgs() {
    Schedule full = Schedule.builder("full", Q, ScheduleSpec.parse("CRON_TZ=Europe/Berlin */5 9-17 * * MON-FRI"))
        .args("fixed").jitter(Duration.ofSeconds(30)).start(T0).end(T0.plus(Duration.ofDays(30)))
        .missed(MissedRunPolicy.catchUp(Duration.ofHours(6))).overlap(OverlapPolicy.QUEUE_ONE).build();
    schedules.create(full, H1);
    Schedule back = stored("full").schedule();
    assertThat(back.spec().text()).isEqualTo(full.spec().text());
    assertThat(back.fixedArgs()).contains("fixed");
    assertThat(back.jitter()).isEqualTo(full.jitter());
    assertThat(back.start()).isEqualTo(full.start());
    assertThat(back.end()).isEqualTo(full.end());
    assertThat(back.missed()).isEqualTo(full.missed());
    assertThat(back.overlap()).isEqualTo(full.overlap());
  }

  @Test
  void listIsByNameAndDeleteForgets() {
    schedules.create(hourly("b"), H1);
    schedules.create(hourly("a"), H1);
    assertThat(schedules.list()).extracting(StoredSchedule::name).containsExactly("a", "b");
    assertThat(schedules.delete("a")).isTrue();
    assertThat(schedules.delete("a")).isFalse();
    assertThat(schedules.find("a")).isEmpty();
    assertThat(schedules.list()).extracting(StoredSchedule::name).containsExactly("b");
  }

  @Test
  void dueGivesTheActiveSchedulesDueEarliestFirstThenTheHoldingOnesWithinTheLimit() {
    schedules.create(hourly("late"), H2);
    schedules.create(hourly("early"), H1);
    schedules.create(hourly("future"), H3);
    schedules.create(hourly("paused"), H1);
    schedules.setState("paused", ScheduleState.PAUSED);
    schedules.create(hourly("holding"), H1);
    schedules.advance("holding", H1, new ScheduleStep.Hold(H1, H3));

    assertThat(schedules.due(H2, 10)).extracting(StoredSchedule::name)
        .containsExactly("early", "late", "holding");
    assertThat(schedules.due(H2, 2)).extracting(StoredSchedule::name)
        .containsExactly("early", "late");
    assertThat(schedules.due(H1, 10)).extracting(StoredSchedule::name)
        .containsExactly("early", "holding");
    StoredSchedule early = schedules.due(H1, 1).get(0);
    assertThat(early.nextDue()).isEqualTo(H1);
    assertThat(early.schedule().fixedArgs()).contains("fixed");
    assertThatThrownBy(() -> schedules.due(H2, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit").hasMessageContaining("0");
  }

  @Test
  void aScheduleMovedOnLeavesTheDueOnesAndNextDueAfterIsTheEarliestActiveOneAfter() {
    schedules.create(hourly("a"), H1);
    schedules.create(hourly("b"), H2);
    schedules.create(hourly("paused"), H1.plusSeconds(1));
    schedules.setState("paused", ScheduleState.PAUSED);
    assertThat(schedules.nextDueAfter(T0)).contains(H1);
    assertThat(schedules.nextDueAfter(H1)).contains(H2);

    schedules.advance("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H3));
    assertThat(schedules.due(H1, 10)).isEmpty();
    assertThat(schedules.due(H2, 10)).extracting(StoredSchedule::name).containsExactly("b");
    assertThat(schedules.nextDueAfter(H2)).contains(H3);
    schedules.advance("b", H2, new ScheduleStep.Skip(null));
    schedules.advance("a", H3, new ScheduleStep.Skip(null));
    assertThat(schedules.nextDueAfter(T0)).isEmpty();
    assertThat(schedules.due(H3, 10)).isEmpty();
  }

  @Test
  void rescheduleReplacesTheDefinitionAndNextDueButKeepsStateHeldAndLastRun() {
    schedules.create(hourly("a"), H1);
    schedules.advance("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H2));
    schedules.advance("a", H2, new ScheduleStep.Hold(H2, H3));
    schedules.setState("a", ScheduleState.PAUSED);
    Schedule daily = Schedule.builder("a", Q, ScheduleSpec.parse("@daily")).build();
    assertThat(schedules.reschedule(daily, T0.plus(Duration.ofDays(1)))).isTrue();
    StoredSchedule a = stored("a");
    assertThat(a.schedule().spec()).isEqualTo(ScheduleSpec.parse("@daily"));
    assertThat(a.nextDue()).isEqualTo(T0.plus(Duration.ofDays(1)));
    assertThat(a.state()).isEqualTo(ScheduleState.PAUSED);
    assertThat(a.held()).isEqualTo(H2);
    assertThat(a.lastRun().occurrence()).isEqualTo(H1);
    assertThat(schedules.reschedule(hourly("nobody"), H1)).isFalse();
    assertThat(schedules.update(hourly("nobody"))).isFalse();
  }

  @Test
  void anUpdateKeepsTheNextDueTheStoreHasNotOneReadEarlier() {
    schedules.create(hourly("a"), H1);
    StoredSchedule read = stored("a");
    // Another decider fires H1 between the read and the update.
    schedules.advance("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H2));
    assertThat(schedules.update(read.schedule().toBuilder().args("new").build())).isTrue();
    StoredSchedule a = stored("a");
    assertThat(a.nextDue()).isEqualTo(H2);
    assertThat(a.schedule().fixedArgs()).contains("new");
    assertThat(a.lastRun().occurrence()).isEqualTo(H1);
  }

  @Test
  void aFireInsertsTheTaskAndMovesNextDueTogether() {
    schedules.create(hourly("a"), H1);
    Optional<ScheduleStore.Applied> applied =
        schedules.advance("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H2));
    assertThat(applied).isPresent();
    TaskRecord task = tasks.tasks().find(applied.get().taskId()).orElseThrow();
    assertThat(task.info().key()).isEqualTo("schedule:a@" + H1);
    StoredSchedule a = stored("a");
    assertThat(a.nextDue()).isEqualTo(H2);
    assertThat(a.lastRun()).isEqualTo(new StoredSchedule.LastRun(H1, task.info().id(), H1));
  }

  @Test
  void aStepForAnOccurrenceNoLongerAwaitedChangesNothing() {
    schedules.create(hourly("a"), H1);
    schedules.advance("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H2));
    // A second decider, late, decides H1 again: nothing happens.
    assertThat(schedules.advance("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H2))).isEmpty();
    assertThat(schedules.advance("a", H1, new ScheduleStep.Skip(H3))).isEmpty();
    assertThat(schedules.advance("a", H1, new ScheduleStep.Hold(H1, H3))).isEmpty();
    assertThat(allTasks()).hasSize(1);
    assertThat(stored("a").nextDue()).isEqualTo(H2);
    assertThat(stored("a").held()).isNull();
    assertThat(schedules.advance("nobody", H1, new ScheduleStep.Skip(H2))).isEmpty();
  }

  @Test
  void aPausedScheduleTakesNoStepAndResumesWhereItWas() {
    schedules.create(hourly("a"), H1);
    assertThat(schedules.setState("a", ScheduleState.PAUSED)).isTrue();
    assertThat(schedules.advance("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H2))).isEmpty();
    assertThat(allTasks()).isEmpty();
    assertThat(schedules.setState("a", ScheduleState.ACTIVE)).isTrue();
    assertThat(stored("a").nextDue()).isEqualTo(H1);
    assertThat(schedules.advance("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H2))).isPresent();
    assertThat(schedules.setState("nobody", ScheduleState.PAUSED)).isFalse();
  }

  @Test
  void aSkipMovesOnlyNextDueAndNullMeansNoMore() {
    schedules.create(hourly("a"), H1);
    assertThat(schedules.advance("a", H1, new ScheduleStep.Skip(null))).contains(ScheduleStore.Applied.NONE);
    assertThat(stored("a").nextDue()).isNull();
    assertThat(stored("a").lastRun()).isNull();
    assertThat(allTasks()).isEmpty();
  }

  @Test
  void aHoldKeepsOneOccurrenceAndAReleaseFiresItOnce() {
    schedules.create(hourly("a"), H1);
    schedules.advance("a", H1, new ScheduleStep.Hold(H1, H2));
    schedules.advance("a", H2, new ScheduleStep.Hold(H2, H3)); // the newer replaces it
    assertThat(stored("a").held()).isEqualTo(H2);
    assertThat(schedules.releaseHeld("a", H1, taskOf("a", H1))).isEmpty();
    Optional<ScheduleStore.Applied> released = schedules.releaseHeld("a", H2, taskOf("a", H2));
    assertThat(released).isPresent();
    assertThat(schedules.releaseHeld("a", H2, taskOf("a", H2))).isEmpty();
    StoredSchedule a = stored("a");
    assertThat(a.held()).isNull();
    assertThat(a.nextDue()).isEqualTo(H3);
    assertThat(a.lastRun().taskId()).isEqualTo(released.get().taskId());
    assertThat(allTasks()).hasSize(1);
  }

  @Test
  void runNowInsertsAndRecordsButLeavesNextDue() {
    schedules.create(hourly("a"), H2);
    Instant now = T0.plusSeconds(5);
    Optional<ScheduleStore.Applied> run = schedules.runNow("a", now, task(Q).createdAt(now).build());
    assertThat(run).isPresent();
    assertThat(stored("a").lastRun()).isEqualTo(new StoredSchedule.LastRun(now, run.get().taskId(), now));
    assertThat(stored("a").nextDue()).isEqualTo(H2);
    assertThat(schedules.runNow("nobody", now, task(Q).build())).isEmpty();
  }

  @Test
  void aFullQueueRefusesTheFireAndLeavesTheScheduleAsItWas() {
    schedules.create(hourly("a"), H1);
    tasks.tasks().insert(task(Q).capacity(1).build());
    NewTask refused = task(Q).createdAt(H1).key("schedule:a@" + H1).capacity(1).build();
    assertThatThrownBy(() -> schedules.advance("a", H1, new ScheduleStep.Fire(H1, refused, H2)))
        .isInstanceOf(QueueFullException.class);
    assertThat(stored("a").nextDue()).isEqualTo(H1);
    assertThat(stored("a").lastRun()).isNull();
    assertThat(allTasks()).hasSize(1);
  }

  @Test
  void fireAllAppliesEachFireAsAloneAndOneRefusedOrStaleLeavesTheOthersBe() {
    for (String name : List.of("a", "b", "c", "d")) {
      schedules.create(hourly(name), H1);
    }
    tasks.tasks().insert(task(Q).build()); // one waiting: a task of capacity 1 is refused
    schedules.advance("c", H1, new ScheduleStep.Skip(H2)); // c no longer waits for H1
    NewTask full = task(Q).createdAt(H1).key("schedule:b@" + H1).capacity(1).build();
    List<ScheduleStore.FireResult> results = schedules.fireAll(List.of(
        new ScheduleStore.DueFire("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H2)),
        new ScheduleStore.DueFire("b", H1, new ScheduleStep.Fire(H1, full, H2)),
        new ScheduleStore.DueFire("c", H1, new ScheduleStep.Fire(H1, taskOf("c", H1), H2)),
        new ScheduleStore.DueFire("d", H1, new ScheduleStep.Fire(H1, taskOf("d", H1), null))));

    assertThat(results).hasSize(4);
    long aTask = results.get(0).applied().orElseThrow().taskId();
    assertThat(results.get(1).applied()).isEmpty();
    assertThat(results.get(1).refused()).isInstanceOf(QueueFullException.class);
    assertThat(results.get(2).applied()).isEmpty();
    assertThat(results.get(2).refused()).isNull();
    long dTask = results.get(3).applied().orElseThrow().taskId();

    assertThat(stored("a").nextDue()).isEqualTo(H2);
    assertThat(stored("a").lastRun().taskId()).isEqualTo(aTask);
    assertThat(stored("a").lastRun().occurrence()).isEqualTo(H1);
    assertThat(stored("b").nextDue()).as("refused: not moved").isEqualTo(H1);
    assertThat(stored("b").lastRun()).isNull();
    assertThat(stored("c").nextDue()).isEqualTo(H2);
    assertThat(stored("c").lastRun()).isNull();
    assertThat(stored("d").nextDue()).isNull();
    assertThat(tasks.tasks().find(dTask).orElseThrow().info().key()).isEqualTo("schedule:d@" + H1);
    assertThat(allTasks()).hasSize(3);
    // a second fireAll of the same occurrences applies none of them
    assertThat(schedules.fireAll(List.of(
        new ScheduleStore.DueFire("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H2)))))
        .allMatch(r -> r.applied().isEmpty() && r.refused() == null);
    assertThat(allTasks()).hasSize(3);
  }

  @Test
  void ofManyThreadsFiringOneOccurrenceExactlyOneSucceeds() throws Exception {
    int threads = 8;
    schedules.create(hourly("a"), H1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier together = new CyclicBarrier(threads);
      List<Future<Optional<ScheduleStore.Applied>>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        answers.add(pool.submit(() -> {
          together.await();
          return schedules.advance("a", H1, new ScheduleStep.Fire(H1, taskOf("a", H1), H2));
        }));
      }
      int applied = 0;
      for (Future<Optional<ScheduleStore.Applied>> f : answers) {
        applied += f.get().isPresent() ? 1 : 0;
      }
      assertThat(applied).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(allTasks()).hasSize(1);
    assertThat(stored("a").nextDue()).isEqualTo(H2);
  }
}
