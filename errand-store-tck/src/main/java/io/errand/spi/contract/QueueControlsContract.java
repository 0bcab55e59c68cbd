package io.errand.spi.contract;

import static io.errand.spi.contract.NewTasks.T0;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.ManualClock;
import io.errand.spi.Claim;
import io.errand.spi.EndAndNext;
import io.errand.spi.Outcome;
import io.errand.spi.QueueControls;
import io.errand.spi.StoreContext;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every store's {@link QueueControls} must have: a paused queue takes inserts but
 * no claim takes its tasks, per queue, kept by a durable store across a reopen. A store module
 * runs it unchanged by extending this class.
 */
public abstract class QueueControlsContract {
  protected static final String Q = "mail";
  protected static final String OTHER = "sms";
  private static final String NODE = "node-a";
  private static final Instant T1 = T0.plusSeconds(1);

  protected ManualClock clock;
  protected RecordingSignals signals;
  protected TaskStore store;
  protected Tasks tasks;
  protected QueueControls controls;

  /** A new, empty store, not yet opened. */
  protected abstract TaskStore newStore();

  /**
   * A second store on what {@link #newStore()}'s keeps (the same file or schema), not yet
   * opened, or null if the store keeps nothing across a close (then the test of it is skipped).
   */
  protected abstract TaskStore sameStoreAgain();

  @BeforeEach
  void openStore() {
    clock = new ManualClock(T0);
    store = open(newStore());
  }

  private TaskStore open(TaskStore s) {
    signals = new RecordingSignals();
    s.open(new StoreContext(clock, signals, new JsonTestCodec(Map.of()), NODE));
    tasks = s.tasks();
    controls = s.controls();
    return s;
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private long add(String queue) {
    return tasks.insert(task(queue).build()).id();
  }

  @Test
  void aPausedQueueTakesInsertsButNoClaimUntilItIsResumed() {
    long first = add(Q);
    assertThat(controls.pause(Q, T1)).isTrue();
    assertThat(controls.pause(Q, T1.plusSeconds(5))).as("paused already").isFalse();
    long second = add(Q);

    assertThat(tasks.claim(Q, NODE, T1)).isEqualTo(Claim.NONE_DUE);
    assertThat(tasks.claim(Q, NODE, T1, 8)).isEmpty();
    assertThat(tasks.nextDue(Q)).as("no timer waits for a paused queue's tasks").isEmpty();
    assertThat(tasks.waiting(Q)).isEqualTo(2);
    assertThat(controls.paused()).isEqualTo(Map.of(Q, T1));

    signals.clear();
    assertThat(controls.resume(Q, T1)).isTrue();
    assertThat(controls.resume(Q, T1)).as("running already").isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> signals.workAvailable().contains(Q));
    assertThat(controls.paused()).isEmpty();
    assertThat(tasks.nextDue(Q)).contains(T0);
    assertThat(tasks.claim(Q, NODE, T1, 8)).extracting(r -> r.info().id())
        .containsExactly(first, second);
  }

  @Test
  void aPauseIsPerQueue() {
    add(Q);
    long other = add(OTHER);
    controls.pause(Q, T1);
    assertThat(tasks.claim(OTHER, NODE, T1)).isInstanceOfSatisfying(Claim.Claimed.class,
        c -> assertThat(c.record().info().id()).isEqualTo(other));
    assertThat(controls.paused()).containsOnlyKeys(Q);
  }

  @Test
  void theEndOfARunningTaskClaimsNoNextOneWhilePaused() {
    long running = add(Q);
    add(Q);
    TaskRecord rec = ((Claim.Claimed) tasks.claim(Q, NODE, T1)).record();
    assertThat(rec.info().id()).isEqualTo(running);
    controls.pause(Q, T1);

    EndAndNext both = tasks.finishAndClaim(running, 1, new Outcome.Succeeded(null), T1, Q, NODE);

    assertThat(both.ended()).as("a running task ends as usual")
        .isInstanceOf(io.errand.spi.Change.Changed.class);
    assertThat(both.next()).isEqualTo(Claim.NONE_DUE);
  }

  @Test
  void aPauseIsKeptWhenTheStoreOpensAgain() {
    TaskStore again = sameStoreAgain();
    Assumptions.assumeTrue(again != null, "this store keeps nothing across a close");
    long id = add(Q);
    controls.pause(Q, T1);
    store.close();
    store = open(again);

    assertThat(controls.paused()).isEqualTo(Map.of(Q, T1));
    assertThat(tasks.claim(Q, NODE, T1)).isEqualTo(Claim.NONE_DUE);
    controls.resume(Q, T1);
    assertThat(tasks.claim(Q, NODE, T1)).isInstanceOfSatisfying(Claim.Claimed.class,
        c -> assertThat(c.record().info().id()).isEqualTo(id));
  }

  /**
   * Claimers on four threads run while the queue is paused: no claim that began after the
   * pause returned takes a task, however the calls interleave.
   */
  @Test
  void noClaimThatBeganAfterThePauseReturnedTakesATask() throws Exception {
    for (int i = 0; i < 400; i++) {
      add(Q);
    }
    AtomicBoolean pauseReturned = new AtomicBoolean();
    AtomicInteger claimedBefore = new AtomicInteger();
    AtomicInteger claimedAfter = new AtomicInteger();
    AtomicInteger claimsAfter = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> claimers = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        claimers.add(pool.submit(() -> {
          while (claimsAfter.get() < 200) {
            boolean after = pauseReturned.get();
            int got = tasks.claim(Q, NODE, T1, 2).size();
            if (after) {
              claimsAfter.incrementAndGet();
              claimedAfter.addAndGet(got);
            } else {
              claimedBefore.addAndGet(got);
            }
          }
          return null;
        }));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> claimedBefore.get() >= 10);
      controls.pause(Q, T1);
      pauseReturned.set(true);
      for (Future<?> f : claimers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(claimedAfter.get()).as("tasks claimed by claims begun after the pause").isZero();
    assertThat(tasks.waiting(Q)).isEqualTo(400 - claimedBefore.get());
  }

  @Test
  void aConcurrencyLimitCapsTheRunningTasksAndAnEndMakesRoom() {
    controls.limitConcurrency(Q, 2);
    for (int i = 0; i < 5; i++) {
      add(Q);
    }
    add(OTHER);
    List<TaskRecord> two = tasks.claim(Q, NODE, T1, 8);
    assertThat(two).hasSize(2);
    assertThat(controls.running(Q)).isEqualTo(2);
    assertThat(controls.running("unknown")).isZero();
    assertThat(tasks.claim(Q, NODE, T1)).isEqualTo(Claim.NONE_DUE);
    assertThat(tasks.nextDue(Q)).as("no timer waits while the queue is full").isEmpty();
    assertThat(tasks.claim(OTHER, NODE, T1)).as("other queues are not limited")
        .isInstanceOf(Claim.Claimed.class);

    EndAndNext both = tasks.finishAndClaim(two.get(0).info().id(), 1,
        new Outcome.Succeeded(null), T1, Q, NODE);
    assertThat(both.next()).as("the end made room for one").isInstanceOf(Claim.Claimed.class);
    assertThat(tasks.claim(Q, NODE, T1)).isEqualTo(Claim.NONE_DUE);

    tasks.reschedule(two.get(1).info().id(), 1, null, T1);
    assertThat(controls.running(Q)).isEqualTo(1);
    assertThat(tasks.claim(Q, NODE, T1, 8)).as("a requeue makes room too").hasSize(1);
    assertThat(tasks.claim(Q, NODE, T1)).isEqualTo(Claim.NONE_DUE);
  }

  @Test
  void aConcurrencyLimitBelowOneIsRefusedNamingTheQueueAndTheValue() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> controls.limitConcurrency(Q, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency of queue 'mail' must be >= 1, was 0");
  }

  /**
   * Four threads claim and end tasks of a queue limited to 3: a task counts as in flight from
   * its claim's answer until just before its end is asked for, so the store held at least as
   * many RUNNING at every moment; the most ever in flight never passes the limit.
   */
  @Test
  void aConcurrencyLimitHoldsUnderConcurrentClaimsAndEnds() throws Exception {
    int limit = 3;
    controls.limitConcurrency(Q, limit);
    for (int i = 0; i < 600; i++) {
      add(Q);
    }
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> workers = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        workers.add(pool.submit(() -> {
          while (ended.get() < 600) {
            List<TaskRecord> got = tasks.claim(Q, NODE, T1, 2);
            most.accumulateAndGet(inFlight.addAndGet(got.size()), Math::max);
            for (TaskRecord r : got) {
              inFlight.decrementAndGet();
              tasks.finish(r.info().id(), r.info().attempt(), new Outcome.Succeeded(null), T1);
              ended.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(most.get()).as("most tasks in flight at once").isBetween(1, limit);
    assertThat(tasks.waiting(Q)).isZero();
  }
}
