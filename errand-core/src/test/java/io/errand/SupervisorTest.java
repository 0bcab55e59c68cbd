package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.InvalidTaskException;
import io.errand.api.KeyHandler;
import io.errand.api.KeyState;
import io.errand.api.KeyStatus;
import io.errand.api.ManualClock;
import io.errand.api.RestartPolicy;
import io.errand.api.ShutdownReport;
import io.errand.api.ShuttingDownException;
import io.errand.api.StopTimeouts;
import io.errand.api.Supervisor;
import io.errand.api.SupervisorSpec;
import io.errand.api.TaskEvent;
import io.errand.api.UnknownKeyException;
import io.errand.api.UnknownSupervisorException;
import io.errand.memory.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Seed 001: one live long-running instance per key, put/remove/pause/resume, restarts. */
class SupervisorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  record Account(String name, int version) {}

  private final Connections connections = new Connections();
  private final List<Account> started = new CopyOnWriteArrayList<>();
  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

  /** Holds a connection until asked to stop (the cooperative stage). */
  private final KeyHandler<Account> polite = ctx -> {
    CountDownLatch stop = new CountDownLatch(1);
    ctx.onCancel(stop::countDown);
    connections.open(ctx.key());
    try {
      started.add(ctx.args());
      stop.await();
    } finally {
      connections.close(ctx.key());
    }
  };

  private Errand errand(SupervisorSpec<?> spec) {
    return Errand.builder().listener("events", events::add).supervisor(spec).build();
  }

  private SupervisorSpec.Builder<Account> accounts(KeyHandler<Account> handler) {
    return SupervisorSpec.builder("accounts", Account.class, handler);
  }

  private List<EventType> keyEvents() {
    return events.stream().map(TaskEvent::type).filter(t -> t.name().startsWith("KEY_")).toList();
  }

  @Test
  void putStartsAKeyAndPutWithNewArgumentsReplacesItsInstance() {
    try (Errand errand = errand(accounts(polite).build())) {
      Supervisor s = errand.supervisor("accounts");

      KeyStatus first = s.put("acct-1", new Account("ada", 1));
      assertThat(first.state()).isEqualTo(KeyState.RUNNING);
      await().until(() -> started.size() == 1);
      assertThat(s.put("acct-1", new Account("ada", 1)).state()).isEqualTo(KeyState.RUNNING);

      KeyStatus second = s.put("acct-1", new Account("ada", 2));
      await().until(() -> started.size() == 2);
      assertThat(second.args()).isEqualTo(new Account("ada", 2));
      assertThat(started).containsExactly(new Account("ada", 1), new Account("ada", 2));
      s.replace("acct-1", new Account("ada", 2)); // forced: restarts with equal arguments
      await().until(() -> started.size() == 3);

      assertThat(connections.openNow("acct-1")).isEqualTo(1);
      assertThat(connections.peak("acct-1")).isEqualTo(1);
      await().until(() -> keyEvents().size() >= 5);
      assertThat(keyEvents()).containsExactly(EventType.KEY_STARTED, EventType.KEY_STOPPED,
          EventType.KEY_STARTED, EventType.KEY_STOPPED, EventType.KEY_STARTED);
    }
  }

  @Test
  void removeStopsTheInstanceAndForgetsTheKey() {
    try (Errand errand = errand(accounts(polite).build())) {
      Supervisor s = errand.supervisor("accounts");
      s.put("acct-1", new Account("ada", 1));
      s.put("acct-2", new Account("bob", 1));
      await().until(() -> connections.openNow("acct-1") == 1);

      assertThat(s.remove("acct-1")).isTrue();

      assertThat(connections.openNow("acct-1")).isZero();
      assertThat(s.status("acct-1")).isEmpty();
      assertThat(s.list()).extracting(KeyStatus::key).containsExactly("acct-2");
      assertThat(s.remove("acct-1")).isFalse();
    }
  }

  @Test
  void pauseKeepsTheKeyWithoutAnInstanceAndResumeStartsItAgain() {
    try (Errand errand = errand(accounts(polite).build())) {
      Supervisor s = errand.supervisor("accounts");
      s.put("acct-1", new Account("ada", 1));
      await().until(() -> connections.openNow("acct-1") == 1);

      assertThat(s.pause("acct-1").state()).isEqualTo(KeyState.PAUSED);
      assertThat(connections.openNow("acct-1")).isZero();
      KeyStatus changed = s.put("acct-1", new Account("ada", 2)); // stays paused, new args
      assertThat(changed.state()).isEqualTo(KeyState.PAUSED);
      assertThat(started).hasSize(1);

      assertThat(s.resume("acct-1").state()).isEqualTo(KeyState.RUNNING);
      await().until(() -> started.size() == 2);
      assertThat(started.get(1)).isEqualTo(new Account("ada", 2));
      assertThatThrownBy(() -> s.pause("nobody")).isInstanceOf(UnknownKeyException.class)
          .hasMessageContaining("supervisor 'accounts' has no key 'nobody'");
    }
  }

  @Test
  void aCrashingKeyRestartsAfterItsBackoffUntilItsBudgetIsSpent() {
    ManualClock clock = new ManualClock(T0);
    AtomicInteger runs = new AtomicInteger();
    KeyHandler<Account> crashing = ctx -> {
      runs.incrementAndGet();
      throw new IllegalStateException("socket closed by peer");
    };
    try (Errand errand = Errand.builder().clock(clock).listener("events", events::add)
        .supervisor(accounts(crashing).restart(RestartPolicy.onFailure()
            .withBackoff(Backoff.fixed(Duration.ofSeconds(10)))
            .withBudget(2, Duration.ofMinutes(10))).build())
        .build()) {
      Supervisor s = errand.supervisor("accounts");
      s.put("acct-1", new Account("ada", 1));

      KeyStatus restarting = awaitState(s, "acct-1", KeyState.RESTARTING);
      assertThat(restarting.restarts()).isEqualTo(1);
      assertThat(restarting.restartAt()).isEqualTo(T0.plusSeconds(10));
      assertThat(restarting.lastError().message()).isEqualTo("socket closed by peer");
      assertThat(runs).hasValue(1);

      clock.advance(Duration.ofSeconds(10));
      await().until(() -> runs.get() == 2 && s.status("acct-1").orElseThrow().restarts() == 2);
      clock.advance(Duration.ofSeconds(10));
      KeyStatus failed = awaitState(s, "acct-1", KeyState.FAILED);
      assertThat(runs).hasValue(3);
      assertThat(failed.lastError().attempt()).isEqualTo(3);

      clock.advance(Duration.ofMinutes(5)); // FAILED stays failed...
      assertThat(s.status("acct-1").orElseThrow().state()).isEqualTo(KeyState.FAILED);
      s.put("acct-1", new Account("ada", 2)); // ...until put again
      await().until(() -> runs.get() == 4);
      await().until(() -> keyEvents().contains(EventType.KEY_FAILED));
      assertThat(keyEvents()).containsSubsequence(EventType.KEY_STARTED, EventType.KEY_CRASHED,
          EventType.KEY_RESTARTING, EventType.KEY_STARTED, EventType.KEY_CRASHED,
          EventType.KEY_RESTARTING, EventType.KEY_STARTED, EventType.KEY_CRASHED,
          EventType.KEY_FAILED);
    }
  }

  @Test
  void anInstanceThatIgnoresInterruptsIsAbandonedAndTheNewOneStartsOnce() {
    Gate stuck = new Gate();
    KeyHandler<Account> handler = ctx -> {
      if (ctx.args().version() == 1) {
        connections.open(ctx.key());
        started.add(ctx.args());
        try {
          stuck.passIgnoringInterrupts();
        } finally {
          connections.close(ctx.key());
        }
      } else {
        polite.run(ctx); // version 2 behaves
      }
    };
    Duration stage = Duration.ofMillis(50);
    try (Errand errand = errand(accounts(handler)
        .stopTimeouts(new StopTimeouts(stage, stage, stage)).build())) {
      Supervisor s = errand.supervisor("accounts");
      s.put("acct-1", new Account("ada", 1));
      await().until(() -> started.size() == 1);

      KeyStatus replaced = s.put("acct-1", new Account("ada", 2));

      assertThat(replaced.state()).isEqualTo(KeyState.RUNNING);
      assertThat(replaced.args()).isEqualTo(new Account("ada", 2));
      await().until(() -> started.size() == 2);
      await().until(() -> events.stream().anyMatch(e -> e.message().contains("abandoned")));
      stuck.open(); // the straggler finally returns: it must not touch the key
      await().until(() -> connections.openNow("acct-1") == 1);
      assertThat(s.status("acct-1").orElseThrow().state()).isEqualTo(KeyState.RUNNING);
      assertThat(started).hasSize(2);
    }
  }

  @Test
  void anOnCancelRegisteredAfterTheStopRunsAtOnceAndItsThrowDoesNotReachTheHandler() {
    AtomicBoolean lateRan = new AtomicBoolean();
    AtomicBoolean wentOn = new AtomicBoolean();
    KeyHandler<Account> handler = ctx -> {
      CountDownLatch stop = new CountDownLatch(1);
      ctx.onCancel(stop::countDown);
      started.add(ctx.args());
      stop.await();
      ctx.onCancel(() -> { // the stop was asked already: it runs now, on this thread
        lateRan.set(true);
        throw new IllegalStateException("late callback");
      });
      wentOn.set(true);
    };
    try (Errand errand = errand(accounts(handler).build())) {
      Supervisor s = errand.supervisor("accounts");
      s.put("acct-1", new Account("ada", 1));
      await().until(() -> started.size() == 1);

      assertThat(s.remove("acct-1")).isTrue();

      await().untilTrue(wentOn);
      assertThat(lateRan).isTrue();
    }
  }

  @Test
  void stopGoesCooperativeFirstAndInterruptsOnlyWhenThatIsIgnored() {
    AtomicBoolean politeInterrupted = new AtomicBoolean();
    AtomicBoolean sleeperInterrupted = new AtomicBoolean();
    KeyHandler<Account> handler = ctx -> {
      if (ctx.key().equals("polite")) {
        CountDownLatch stop = new CountDownLatch(1);
        ctx.onCancel(stop::countDown);
        stop.await();
        politeInterrupted.set(Thread.currentThread().isInterrupted());
      } else {
        try {
          Thread.sleep(Duration.ofMinutes(5)); // deaf to the cooperative request
        } catch (InterruptedException e) {
          sleeperInterrupted.set(true);
        }
      }
    };
    try (Errand errand = errand(accounts(handler).stopTimeouts(new StopTimeouts(
        Duration.ofMillis(100), Duration.ofSeconds(20), Duration.ofSeconds(20))).build())) {
      Supervisor s = errand.supervisor("accounts");
      s.put("polite", new Account("p", 1));
      s.put("sleeper", new Account("s", 1));

      assertThat(s.remove("polite")).isTrue();
      assertThat(s.remove("sleeper")).isTrue();

      assertThat(politeInterrupted).isFalse();
      assertThat(sleeperInterrupted).isTrue();
      assertThat(events).noneMatch(e -> e.message().contains("abandoned"));
    }
  }

  @Test
  void anUnhealthyInstanceIsStoppedAndRestarted() {
    AtomicInteger instance = new AtomicInteger();
    KeyHandler<Account> handler = ctx -> {
      if (instance.incrementAndGet() == 1) {
        ctx.unhealthy("lost the websocket and cannot reconnect");
      }
      polite.run(ctx);
    };
    try (Errand errand = errand(accounts(handler).restart(RestartPolicy.onFailure()
        .withBackoff(Backoff.fixed(Duration.ZERO))).build())) {
      Supervisor s = errand.supervisor("accounts");
      s.put("acct-1", new Account("ada", 1));

      await().until(() -> instance.get() == 2 && connections.openNow("acct-1") == 1);
      KeyStatus now = s.status("acct-1").orElseThrow();
      assertThat(now.restarts()).isEqualTo(1);
      assertThat(now.lastError().type()).isEqualTo("unhealthy");
      assertThat(now.lastError().message()).isEqualTo("lost the websocket and cannot reconnect");
      assertThat(connections.peak("acct-1")).isEqualTo(1);
    }
  }

  @Test
  void anInstanceSilentPastItsHeartbeatTimeoutIsRestarted() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = Errand.builder().clock(clock)
        .supervisor(accounts(polite).heartbeatTimeout(Duration.ofSeconds(30))
            .restart(RestartPolicy.onFailure().withBackoff(Backoff.fixed(Duration.ZERO)))
            .build())
        .build()) {
      Supervisor s = errand.supervisor("accounts");
      s.put("acct-1", new Account("ada", 1));
      await().until(() -> started.size() == 1);

      clock.advance(Duration.ofSeconds(29));
      assertThat(s.status("acct-1").orElseThrow().restarts()).isZero();
      clock.advance(Duration.ofSeconds(1));

      await().until(() -> started.size() == 2);
      assertThat(s.status("acct-1").orElseThrow().lastError().message())
          .isEqualTo("no heartbeat for 30s");
    }
  }

  @Test
  void aHandlerThatReturnsIsStoppedUnderOnFailureAndRestartedUnderAlways() {
    KeyHandler<Account> brief = ctx -> started.add(ctx.args());
    try (Errand errand = errand(accounts(brief).build())) {
      Supervisor s = errand.supervisor("accounts");
      s.put("acct-1", new Account("ada", 1));
      assertThat(awaitState(s, "acct-1", KeyState.STOPPED).lastError()).isNull();
      assertThat(started).hasSize(1);
    }
    started.clear();
    try (Errand errand = errand(accounts(brief).restart(RestartPolicy.always()
        .withBackoff(Backoff.fixed(Duration.ZERO)).withBudget(3, Duration.ofHours(1))).build())) {
      Supervisor s = errand.supervisor("accounts");
      s.put("acct-1", new Account("ada", 1));
      awaitState(s, "acct-1", KeyState.FAILED); // 1 run + 3 restarts, then the budget is spent
      assertThat(started).hasSize(4);
    }
  }

  @Test
  void keysAreSavedAndEveryKeyNotPausedStartsAgainOnBoot() {
    MemoryStore data = new MemoryStore();
    Errand first = Errand.builder().store(DurableView.of(data))
        .supervisor(accounts(polite).build()).build();
    Supervisor s1 = first.supervisor("accounts");
    s1.put("acct-1", new Account("ada", 1));
    s1.put("acct-2", new Account("bob", 1));
    s1.pause("acct-2");
    s1.put("acct-3", new Account("cy", 1));
    s1.remove("acct-3");

    ShutdownReport report = first.shutdown(Duration.ofSeconds(5));
    assertThat(report.keysStopped()).isEqualTo(1);
    assertThat(connections.openNow("acct-1")).isZero();

    try (Errand second = Errand.builder().store(DurableView.of(data))
        .supervisor(accounts(polite).build()).build()) {
      Supervisor s2 = second.supervisor("accounts");
      await().until(() -> connections.openNow("acct-1") == 1);
      assertThat(s2.status("acct-1").orElseThrow().state()).isEqualTo(KeyState.RUNNING);
      assertThat(s2.status("acct-2").orElseThrow().state()).isEqualTo(KeyState.PAUSED);
      assertThat(s2.status("acct-3")).isEmpty();
      // the first engine started all three; the second only the one neither paused nor removed
      assertThat(started.subList(0, 3)).containsExactlyInAnyOrder(new Account("ada", 1),
          new Account("bob", 1), new Account("cy", 1));
      assertThat(started.subList(3, started.size())).containsExactly(new Account("ada", 1));
    }
  }

  @Test
  void shutdownStopsEveryKeyAndRefusesNewPuts() {
    Errand errand = errand(accounts(polite).build());
    Supervisor s = errand.supervisor("accounts");
    for (int i = 0; i < 5; i++) {
      s.put("acct-" + i, new Account("n" + i, 1));
    }
    await().until(() -> connections.totalOpened() == 5);

    ShutdownReport report = errand.shutdown(Duration.ofSeconds(5));

    assertThat(report.keysStopped()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      assertThat(connections.openNow("acct-" + i)).isZero();
    }
    assertThatThrownBy(() -> s.put("late", new Account("x", 1)))
        .isInstanceOf(ShuttingDownException.class);
  }

  @Test
  void badCallsAreRefusedWithWhatToDo() {
    try (Errand errand = errand(accounts(polite).build())) {
      Supervisor s = errand.supervisor("accounts");
      assertThatThrownBy(() -> s.put("acct-1", "not an account"))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("supervisor 'accounts' takes arguments of type");
      assertThatThrownBy(() -> s.put(" ", new Account("a", 1)))
          .isInstanceOf(InvalidTaskException.class).hasMessageContaining("key");
      assertThatThrownBy(() -> errand.supervisor("acounts"))
          .isInstanceOf(UnknownSupervisorException.class)
          .hasMessageContaining("no supervisor named 'acounts'")
          .hasMessageContaining("[accounts]");
      assertThat(errand.supervisors()).containsExactly("accounts");
    }
  }

  private static KeyStatus awaitState(Supervisor s, String key, KeyState state) {
    await().atMost(Duration.ofSeconds(20))
        .until(() -> s.status(key).map(KeyStatus::state).orElse(null) == state);
    return s.status(key).orElseThrow();
  }
}
