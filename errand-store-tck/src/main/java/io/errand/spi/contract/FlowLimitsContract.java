package io.errand.spi.contract;

import static io.errand.spi.contract.NewTasks.T0;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.ConcurrencyKey;
import io.errand.api.ManualClock;
import io.errand.api.RateLimit;
import io.errand.spi.Claim;
import io.errand.spi.FlowLimits;
import io.errand.spi.Outcome;
import io.errand.spi.QueueControls;
import io.errand.spi.StoreContext;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every store's {@link QueueControls#limitFlow} must have: claims turn over the
 * concurrency key's values, a per-key limit caps each value's running tasks (an end makes
 * room), and rate limits cap starts per period, per queue and per key value, with
 * {@link Tasks#nextDue} answering the next allowed start. A store module runs it unchanged by
 * extending this class.
 */
public abstract class FlowLimitsContract {
  protected static final String Q = "mail";
  private static final String NODE = "node-a";
  private static final Instant T1 = T0.plusSeconds(1);
  private static final ConcurrencyKey TENANT = ConcurrencyKey.argsField("tenant");

  protected ManualClock clock;
  protected TaskStore store;
  protected Tasks tasks;
  protected QueueControls controls;

  /** A new, empty store, not yet opened. */
  protected abstract TaskStore newStore();

  @BeforeEach
  void openStore() {
    clock = new ManualClock(T1);
    store = newStore();
    store.open(new StoreContext(clock, new RecordingSignals(), new JsonTestCodec(Map.of()),
        NODE));
    tasks = store.tasks();
    controls = store.controls();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private long add(String tenant) {
    return tasks.insert(task(Q).args(Map.of("tenant", tenant, "n", 1)).build()).id();
  }

  private String tenantOf(TaskRecord r) {
    return String.valueOf(((Map<?, ?>) r.info().args()).get("tenant"));
  }

  private TaskRecord claimOne(Instant at) {
    return tasks.claim(Q, NODE, at) instanceof Claim.Claimed c ? c.record() : null;
  }

  private void end(TaskRecord r, Instant at) {
    tasks.finish(r.info().id(), r.info().attempt(), new Outcome.Succeeded(null), at);
  }

  @Test
  void claimsTurnOverTheKeysSoABigBacklogDoesNotStarveASmallOne() {
    controls.limitFlow(Q, new FlowLimits(TENANT, 0, null, null));
    for (int i = 0; i < 200; i++) {
      add("big");
    }
    for (int i = 0; i < 10; i++) {
      add("small");
    }
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      order.add(tenantOf(claimOne(T1)));
    }
    assertThat(order).filteredOn("small"::equals).as("claim order " + order).hasSize(10);
    assertThat(tasks.claim(Q, NODE, T1, 8)).extracting(this::tenantOf).containsOnly("big");
  }

  @Test
  void aPerKeyLimitCapsEachKeysRunningTasksAndAnEndMakesRoom() {
    controls.limitFlow(Q, new FlowLimits(TENANT, 1, null, null));
    for (int i = 0; i < 3; i++) {
      add("a");
      add("b");
    }
    List<TaskRecord> first = tasks.claim(Q, NODE, T1, 8);
    assertThat(first).extracting(this::tenantOf).containsExactlyInAnyOrder("a", "b");
    assertThat(tasks.claim(Q, NODE, T1)).isEqualTo(Claim.NONE_DUE);
    assertThat(tasks.nextDue(Q)).as("only an end makes room").isEmpty();
    TaskRecord waitingA = tasks.list(new io.errand.api.TaskQuery(Q, io.errand.api.TaskStatus.WAITING, 100, 0))
        .items().stream().filter(r -> tenantOf(r).equals("a")).findFirst().orElseThrow();
    assertThat(controls.heldBack(waitingA, T1)).hasValue(
        "concurrency limit of key 'a' in queue 'mail': 1 of 1 running");

    TaskRecord a = first.stream().filter(r -> tenantOf(r).equals("a")).findFirst().orElseThrow();
    end(a, T1);
    TaskRecord next = claimOne(T1);
    assertThat(next).isNotNull();
    assertThat(tenantOf(next)).isEqualTo("a");
    assertThat(tasks.claim(Q, NODE, T1)).isEqualTo(Claim.NONE_DUE);
    tasks.reschedule(next.info().id(), next.info().attempt(), null, T1);
    assertThat(tenantOf(claimOne(T1))).as("a requeue makes room too").isEqualTo("a");
  }

  @Test
  void tasksWithoutTheKeyFieldShareOneKey() {
    controls.limitFlow(Q, new FlowLimits(TENANT, 1, null, null));
    tasks.insert(task(Q).args(Map.of("other", 1)).build());
    tasks.insert(task(Q).args("plain").build());
    add("a");
    assertThat(tasks.claim(Q, NODE, T1, 8)).hasSize(2);
  }

  @Test
  void theSubmitKeyCanBeTheConcurrencyKey() {
    controls.limitFlow(Q, new FlowLimits(ConcurrencyKey.submitKey(), 1, null, null));
    tasks.insert(task(Q).key("k1").build());
    tasks.insert(task(Q).key("k2").build());
    tasks.insert(task(Q).build());
    tasks.insert(task(Q).build());
    assertThat(tasks.claim(Q, NODE, T1, 8)).as("k1, k2 and one of the two without a key")
        .hasSize(3);
  }

  @Test
  void aQueueRateLimitCapsStartsPerPeriodAndNamesTheNextSlot() {
    controls.limitFlow(Q, new FlowLimits(null, 0, new RateLimit(3, Duration.ofSeconds(10)),
        null));
    for (int i = 0; i < 5; i++) {
      add("a");
    }
    assertThat(tasks.claim(Q, NODE, T1, 8)).hasSize(3);
    assertThat(tasks.claim(Q, NODE, T1)).isEqualTo(Claim.NONE_DUE);
    assertThat(tasks.nextDue(Q)).hasValue(T1.plusSeconds(10));
    Instant later = T1.plusSeconds(8);
    clock.advance(Duration.ofSeconds(7));
    TaskRecord held = tasks.list(new io.errand.api.TaskQuery(Q, io.errand.api.TaskStatus.WAITING, 1, 0))
        .items().get(0);
    assertThat(controls.heldBack(held, later)).hasValue(
        "rate limit of queue 'mail': 3/10s, next slot in 2s");
    assertThat(tasks.claim(Q, NODE, later)).isEqualTo(Claim.NONE_DUE);
    Instant open = T1.plusSeconds(10);
    clock.advance(Duration.between(clock.instant(), open));
    assertThat(tasks.claim(Q, NODE, open, 8)).hasSize(2);
  }

  @Test
  void aPerKeyRateLimitHoldsOneKeyAndLetsTheOthersStart() {
    controls.limitFlow(Q, new FlowLimits(TENANT, 0, null,
        new RateLimit(1, Duration.ofMinutes(1))));
    add("a");
    add("a");
    add("b");
    add("b");
    assertThat(tasks.claim(Q, NODE, T1, 8)).extracting(this::tenantOf)
        .containsExactlyInAnyOrder("a", "b");
    assertThat(tasks.claim(Q, NODE, T1)).isEqualTo(Claim.NONE_DUE);
    assertThat(tasks.nextDue(Q)).hasValue(T1.plusSeconds(60));
    Instant open = T1.plusSeconds(60);
    clock.advance(Duration.between(clock.instant(), open));
    assertThat(tasks.claim(Q, NODE, open, 8)).hasSize(2);
  }

  /**
   * Four threads claim and end tasks of 100 keys limited to 1 running each: a task counts as in
   * flight from its claim's answer until just before its end is asked for, so the store held at
   * least as many of its key RUNNING at every moment; no key ever has two in flight.
   */
  @Test
  void aPerKeyLimitOfOneHoldsUnderConcurrentClaimsAndEnds() throws Exception {
    controls.limitFlow(Q, new FlowLimits(TENANT, 1, null, null));
    int keys = 100;
    int each = 4;
    for (int i = 0; i < each; i++) {
      for (int k = 0; k < keys; k++) {
        add("t" + k);
      }
    }
    int total = keys * each;
    Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        workers.add(pool.submit(() -> {
          while (ended.get() < total) {
            List<TaskRecord> got = tasks.claim(Q, NODE, T1, 3);
            for (TaskRecord r : got) {
              int n = inFlight.computeIfAbsent(tenantOf(r), x -> new AtomicInteger())
                  .incrementAndGet();
              most.accumulateAndGet(n, Math::max);
            }
            for (TaskRecord r : got) {
              inFlight.get(tenantOf(r)).decrementAndGet();
              end(r, T1);
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
    assertThat(most.get()).as("most tasks of one key in flight at once").isEqualTo(1);
    assertThat(tasks.waiting(Q)).isZero();
  }
}
