package io.errand.spi.contract;

import static io.errand.spi.contract.NewTasks.T0;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.ManualClock;
import io.errand.api.OnConflict;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.api.Uniqueness;
import io.errand.spi.Claim;
import io.errand.spi.Inserted;
import io.errand.spi.Outcome;
import io.errand.spi.StoreContext;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every store's unique keys must have (issue 15): a period and finished states
 * that hold a key, and the conflict modes (return the holder, replace its arguments, debounce
 * its run time), also under concurrent submits from real threads. A store module runs it
 * unchanged by extending this class.
 */
public abstract class UniquenessContract {
  protected static final String Q = "mail";
  private static final String NODE = "node-a";
  private static final Duration HOUR = Duration.ofHours(1);

  protected ManualClock clock;
  protected TaskStore store;
  protected Tasks tasks;

  /** A new, empty store, not yet opened. */
  protected abstract TaskStore newStore();

  @BeforeEach
  void openStore() {
    clock = new ManualClock(T0);
    store = newStore();
    store.open(new StoreContext(clock, new RecordingSignals(), new JsonTestCodec(Map.of()),
        NODE));
    tasks = store.tasks();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static Instant t(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private Inserted submit(Instant at, Uniqueness u) {
    return tasks.insert(task(Q).key("k").createdAt(at).unique(u).build());
  }

  private void runToEnd(long id, Outcome outcome, Instant at) {
    Claim c = tasks.claim(Q, NODE, at);
    assertThat(c).isInstanceOfSatisfying(Claim.Claimed.class,
        x -> assertThat(x.record().info().id()).isEqualTo(id));
    tasks.finish(id, 1, outcome, at);
  }

  private TaskRecord get(long id) {
    return tasks.find(id).orElseThrow();
  }

  @Test
  void withinAPeriodAFinishedTaskHoldsTheKeyAndAfterItNot() {
    Uniqueness hour = Uniqueness.within(HOUR);
    long first = submit(t(0), hour).id();
    runToEnd(first, new Outcome.Succeeded("done"), t(1));

    assertThat(submit(t(1800), hour)).isEqualTo(new Inserted.AlreadyLive(first));
    assertThat(submit(t(3600), hour)).as("at the period's end it still holds")
        .isEqualTo(new Inserted.AlreadyLive(first));
    Inserted after = submit(t(3601), hour);
    assertThat(after).isInstanceOf(Inserted.Created.class);
    assertThat(after.id()).isNotEqualTo(first);
  }

  @Test
  void aLiveTaskHoldsTheKeyPastThePeriod() {
    Uniqueness hour = Uniqueness.within(HOUR);
    long first = submit(t(0), hour).id();
    assertThat(submit(t(7200), hour)).isEqualTo(new Inserted.AlreadyLive(first));
  }

  @Test
  void onlyTheChosenFinishedStatesHoldTheKey() {
    Uniqueness failures = Uniqueness.LIVE.withStates(EnumSet.of(TaskStatus.FAILURE));
    long ok = submit(t(0), failures).id();
    runToEnd(ok, new Outcome.Succeeded("done"), t(1));
    long failed = submit(t(2), failures).id();
    assertThat(failed).as("a SUCCESS task does not hold it").isNotEqualTo(ok);
    runToEnd(failed, new Outcome.Failed(new TaskError(1, "java.io.IOException", "down", t(3))),
        t(3));
    assertThat(submit(t(4), failures)).as("a FAILURE task does, with no period for ever")
        .isEqualTo(new Inserted.AlreadyLive(failed));
    assertThat(submit(t(5), Uniqueness.LIVE)).as("a plain key looks at live tasks only")
        .isInstanceOf(Inserted.Created.class);
  }

  @Test
  void theLatestFinishedHolderIsAnswered() {
    Uniqueness all = Uniqueness.within(HOUR);
    long first = submit(t(0), Uniqueness.LIVE).id();
    runToEnd(first, new Outcome.Succeeded("a"), t(1));
    long second = submit(t(2), Uniqueness.LIVE).id();
    runToEnd(second, new Outcome.Cancelled("no", null), t(3));
    assertThat(submit(t(4), all)).isEqualTo(new Inserted.AlreadyLive(second));
  }

  @Test
  void replaceGivesTheWaitingTaskTheNewArgumentsAndLeavesARunningOneAlone() {
    Uniqueness replace = Uniqueness.LIVE.withOnConflict(OnConflict.REPLACE_ARGS);
    long id = tasks.insert(task(Q).key("k").args("v1").unique(replace).build()).id();
    Inserted again = tasks.insert(task(Q).key("k").args("v2").createdAt(t(1)).unique(replace)
        .build());
    assertThat(again).isEqualTo(new Inserted.Updated(id, OnConflict.REPLACE_ARGS));
    assertThat(get(id).info().args()).isEqualTo("v2");
    assertThat(tasks.waiting(Q)).isEqualTo(1);

    assertThat(tasks.claim(Q, NODE, t(2))).isInstanceOf(Claim.Claimed.class);
    Inserted running = tasks.insert(task(Q).key("k").args("v3").createdAt(t(3)).unique(replace)
        .build());
    assertThat(running).isEqualTo(new Inserted.AlreadyLive(id));
    assertThat(get(id).info().args()).isEqualTo("v2");
  }

  @Test
  void debouncePushesTheWaitingTasksRunTime() {
    Uniqueness debounce = Uniqueness.LIVE.withOnConflict(OnConflict.DEBOUNCE);
    long id = tasks.insert(task(Q).key("k").runAt(t(10)).unique(debounce).build()).id();
    Inserted again = tasks.insert(task(Q).key("k").args("later").createdAt(t(5)).runAt(t(15))
        .unique(debounce).build());
    assertThat(again).isEqualTo(new Inserted.Updated(id, OnConflict.DEBOUNCE));
    assertThat(get(id).info().runAt()).isEqualTo(t(15));
    assertThat(get(id).info().args()).as("debounce keeps the first arguments").isEqualTo("args");

    assertThat(tasks.claim(Q, NODE, t(12))).as("not due at its old time")
        .isEqualTo(Claim.NONE_DUE);
    assertThat(tasks.nextDue(Q)).contains(t(15));
    assertThat(tasks.claim(Q, NODE, t(15))).isInstanceOfSatisfying(Claim.Claimed.class,
        c -> assertThat(c.record().info().id()).isEqualTo(id));
    assertThat(tasks.waiting(Q)).isZero();
  }

  @Test
  void aDebounceNeverBringsTheRunTimeNearer() {
    Uniqueness debounce = Uniqueness.LIVE.withOnConflict(OnConflict.DEBOUNCE);
    long id = tasks.insert(task(Q).key("k").runAt(t(100)).unique(debounce).build()).id();
    assertThat(tasks.insert(task(Q).key("k").createdAt(t(1)).unique(debounce).build()))
        .isEqualTo(new Inserted.Updated(id, OnConflict.DEBOUNCE));
    assertThat(get(id).info().runAt()).isEqualTo(t(100));
    assertThat(tasks.claim(Q, NODE, t(1))).isEqualTo(Claim.NONE_DUE);
    assertThat(tasks.claim(Q, NODE, t(100))).isInstanceOfSatisfying(Claim.Claimed.class,
        c -> assertThat(c.record().info().id()).isEqualTo(id));
  }

  @Test
  void aDueTaskDebouncedLaterIsNoLongerDue() {
    Uniqueness debounce = Uniqueness.LIVE.withOnConflict(OnConflict.DEBOUNCE);
    long id = tasks.insert(task(Q).key("k").unique(debounce).build()).id();
    tasks.insert(task(Q).key("k").createdAt(t(1)).runAt(t(30)).unique(debounce).build());
    assertThat(tasks.claim(Q, NODE, t(2))).as("pushed out of the ready tasks")
        .isEqualTo(Claim.NONE_DUE);
    assertThat(tasks.nextDue(Q)).contains(t(30));
    assertThat(tasks.claim(Q, NODE, t(30))).isInstanceOfSatisfying(Claim.Claimed.class,
        c -> assertThat(c.record().info().id()).isEqualTo(id));
  }

  @Test
  void concurrentDebouncedSubmitsMakeOneTaskAndPushItsRunTime() throws Exception {
    Uniqueness debounce = Uniqueness.LIVE.withOnConflict(OnConflict.DEBOUNCE);
    int threads = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<Object[]>>> futures = new ArrayList<>();
    try {
      for (int th = 0; th < threads; th++) {
        int base = th * each;
        futures.add(pool.submit(() -> {
          start.await();
          List<Object[]> answers = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            Instant runAt = t(3600 + base + i); // distinct per submit: who pushed last shows
            answers.add(new Object[] {runAt, tasks.insert(task(Q).key("k").runAt(runAt)
                .unique(debounce).build())});
          }
          return answers;
        }));
      }
      start.countDown();
      List<Object[]> all = new ArrayList<>();
      for (Future<List<Object[]>> f : futures) {
        all.addAll(f.get());
      }
      List<Long> created = new ArrayList<>();
      List<Instant> pushedTo = new ArrayList<>();
      for (Object[] a : all) {
        switch ((Inserted) a[1]) {
          case Inserted.Created c -> created.add(c.id());
          case Inserted.Updated u -> pushedTo.add((Instant) a[0]);
          case Inserted.AlreadyLive l -> throw new AssertionError("a waiting holder is never "
              + "answered unchanged by a debounce: " + l);
        }
      }
      assertThat(created).as("one task").hasSize(1);
      assertThat(pushedTo).hasSize(threads * each - 1);
      assertThat(tasks.list(new TaskQuery(Q, null, 10, 0)).items()).hasSize(1);
      assertThat(tasks.waiting(Q)).isEqualTo(1);
      assertThat(get(created.get(0)).info().runAt()).as("pushed to the latest time submitted")
          .isEqualTo(t(3600 + threads * each - 1));
    } finally {
      pool.shutdownNow();
    }
  }
}
