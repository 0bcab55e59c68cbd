package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.InvalidTaskException;
import io.errand.api.ManualClock;
import io.errand.api.QueueFullException;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.Submitted;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.api.UnknownQueueException;
import io.errand.memory.MemoryStore;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Delays, priorities, unique keys, capacity and the other refusals of submit. */
class SubmitOptionsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void delayedTaskRunsOnlyOnceItsTimeComes() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = Errand.builder().clock(clock)
        .queue(QueueSpec.builder("q", Object.class, ctx -> "ran").build())
        .build()) {
      long id = errand.submit("q", null, SubmitOptions.delayed(Duration.ofMinutes(10)));
      TaskInfo waiting = errand.get(id).orElseThrow();
      assertThat(waiting.runAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
      long now = errand.submit("q", null);
      Await.finished(errand, now); // the worker is free and idle, yet must not take the delayed one
      assertThat(errand.get(id).orElseThrow().status()).isEqualTo(TaskStatus.WAITING);

      clock.advance(Duration.ofMinutes(10));
      assertThat(Await.finished(errand, id).status()).isEqualTo(TaskStatus.SUCCESS);
    }
  }

  @Test
  void higherPriorityRunsFirstAndEqualPrioritiesKeepSubmitOrder() {
    Gate gate = new Gate();
    List<String> order = new CopyOnWriteArrayList<>();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", String.class, ctx -> {
          if (ctx.args().equals("blocker")) {
            gate.pass();
          } else {
            order.add(ctx.args());
          }
          return null;
        }).workers(1).build())
        .build()) {
      long blocker = errand.submit("q", "blocker");
      Await.status(errand, blocker, TaskStatus.RUNNING);
      errand.submit("q", "low-1", SubmitOptions.prioritized(-1));
      errand.submit("q", "normal-1");
      errand.submit("q", "urgent", SubmitOptions.prioritized(10));
      errand.submit("q", "normal-2");
      long last = errand.submit("q", "low-2", SubmitOptions.prioritized(-1));
      gate.open();
      Await.finished(errand, last);

      assertThat(order).containsExactly("urgent", "normal-1", "normal-2", "low-1", "low-2");
    }
  }

  @Test
  void aLiveKeyDeduplicatesAndAFinishedOneIsFreeAgain() {
    Gate gate = new Gate();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", String.class, ctx -> {
          gate.pass();
          return ctx.args();
        }).build())
        .queue(QueueSpec.builder("other", String.class, ctx -> null).build())
        .build()) {
      Submitted added = errand.submitOrFind("q", "a", SubmitOptions.keyed("user-42"));
      assertThat(added.created()).isTrue();
      long first = added.id();
      assertThat(errand.submitOrFind("q", "b", SubmitOptions.keyed("user-42")))
          .isEqualTo(new Submitted(first, false));
      Await.status(errand, first, TaskStatus.RUNNING);
      assertThat(errand.submit("q", "c", SubmitOptions.keyed("user-42"))).isEqualTo(first);
      assertThat(errand.submit("other", "d", SubmitOptions.keyed("user-42"))).isNotEqualTo(first);
      gate.open();
      assertThat(Await.finished(errand, first).response()).isEqualTo("a");

      Submitted again = errand.submitOrFind("q", "e", SubmitOptions.keyed("user-42"));
      assertThat(again.created()).isTrue();
      long second = again.id();
      assertThat(second).isNotEqualTo(first);
      assertThat(Await.finished(errand, second).response()).isEqualTo("e");
    }
  }

  @Test
  void aFullQueueRefusesAtOnceAndKeepsWhatItAccepted() {
    Gate gate = new Gate();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Integer.class, ctx -> {
          gate.pass();
          return ctx.args();
        }).workers(1).capacity(3).build())
        .build()) {
      long running = errand.submit("q", 0);
      Await.status(errand, running, TaskStatus.RUNNING); // running tasks do not count
      List<Long> accepted = List.of(errand.submit("q", 1), errand.submit("q", 2),
          errand.submit("q", 3));

      assertThatThrownBy(() -> errand.submit("q", 4))
          .isInstanceOf(QueueFullException.class)
          .hasMessageContaining("queue 'q' is full: 3 tasks are waiting")
          .satisfies(e -> assertThat(((QueueFullException) e).code()).isEqualTo("queue_full"));
      gate.open();
      for (int i = 0; i < 3; i++) {
        assertThat(Await.finished(errand, accepted.get(i)).response()).isEqualTo(i + 1);
      }
      long later = errand.submit("q", 5); // room again
      assertThat(Await.finished(errand, later).status()).isEqualTo(TaskStatus.SUCCESS);
    }
  }

  @Test
  void unknownQueueAndBadOptionsAreRefusedWithWhatToDo() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("mail", Object.class, ctx -> null).build())
        .build()) {
      assertThatThrownBy(() -> errand.submit("mial", null))
          .isInstanceOf(UnknownQueueException.class)
          .hasMessageContaining("no queue named 'mial'")
          .hasMessageContaining("[mail]");
      assertThatThrownBy(() -> SubmitOptions.delayed(Duration.ofSeconds(-1)))
          .isInstanceOf(InvalidTaskException.class).hasMessageContaining("delay must be from 0 to");
      assertThatThrownBy(() -> SubmitOptions.keyed("  "))
          .isInstanceOf(InvalidTaskException.class).hasMessageContaining("key");
    }
  }

  @Test
  void runAtWithADelayIsRefusedNamingBothInsteadOfOneWinning() {
    Instant at = T0.plus(Duration.ofHours(1));
    assertThatThrownBy(() -> new SubmitOptions(Duration.ofMinutes(5), at, 0, null))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("give either delay or runAt, not both: delay was PT5M, runAt was " + at);
    SubmitOptions atOnly = new SubmitOptions(null, at, 0, null);
    assertThatThrownBy(() -> atOnly.withDelay(Duration.ofSeconds(1)))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("not both");
    // A zero delay means "no delay": it says nothing that contradicts runAt.
    assertThat(atOnly.withDelay(Duration.ZERO).runAt()).isEqualTo(at);
  }

  @Test
  void farTimesAreRefusedNamingTheAllowedRangeAndTheEdgesAreTaken() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = Errand.builder().clock(clock)
        .queue(QueueSpec.builder("q", Object.class, ctx -> null).build())
        .build()) {
      for (Duration far : List.of(Duration.ofMillis(Long.MAX_VALUE), Duration.ofDays(106_751_991),
          Errand.LONGEST_DURATION.plusNanos(1), Duration.ofSeconds(Long.MAX_VALUE))) {
        assertThatThrownBy(() -> errand.submit("q", null, SubmitOptions.delayed(far)))
            .as("delay %s", far).isInstanceOf(InvalidTaskException.class)
            .hasMessageContaining("delay must be from 0 to 36525 days (100 years)")
            .hasMessageContaining(far.toString());
      }
      for (String far : List.of("+300000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
          "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z")) {
        Instant at = Instant.parse(far);
        assertThatThrownBy(() -> errand.submit("q", null,
            new SubmitOptions(null, at, 0, null)))
            .as("runAt %s", far).isInstanceOf(InvalidTaskException.class)
            .hasMessageContaining("runAt must be from 1970-01-01T00:00:00Z to"
                + " 9999-12-31T23:59:59.999999Z");
      }
      assertThat(errand.list(io.errand.api.TaskQuery.newest(10)).items()).isEmpty();

      long longest = errand.submit("q", null, SubmitOptions.delayed(Errand.LONGEST_DURATION));
      long latest = errand.submit("q", null,
          new SubmitOptions(null, SubmitOptions.LATEST_RUN_AT, 0, null));
      long earliest = errand.submit("q", null,
          new SubmitOptions(null, SubmitOptions.EARLIEST_RUN_AT, 0, null));
      assertThat(errand.get(longest).orElseThrow().runAt())
          .isEqualTo(T0.plus(Errand.LONGEST_DURATION));
      assertThat(errand.get(latest).orElseThrow().runAt()).isEqualTo(SubmitOptions.LATEST_RUN_AT);
      assertThat(Await.finished(errand, earliest).status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(errand.get(latest).orElseThrow().status()).isEqualTo(TaskStatus.WAITING);
    }
  }

  @Test
  void aTaskDueInTheYear9999LeavesItsWorkerParkedRatherThanCrashing() {
    // the worker's park until the next due task overflowed a long of nanoseconds: the worker
    // died and was replaced in a loop (workers now park without a time; the queue's due timer
    // holds the year 9999)
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("far", Object.class, ctx -> null).workers(1)
            .threads(QueueSpec.Threads.PLATFORM).build())
        .build()) {
      errand.submit("far", null, new SubmitOptions(null, SubmitOptions.LATEST_RUN_AT, 0, null));
      long now = errand.submit("far", null);
      assertThat(Await.finished(errand, now).status()).isEqualTo(TaskStatus.SUCCESS);

      await().atMost(Duration.ofSeconds(20)).until(() -> Thread.getAllStackTraces().entrySet()
          .stream().anyMatch(e -> e.getKey().getName().equals("errand-far-1")
              && e.getKey().getState() == Thread.State.WAITING
              && java.util.Arrays.stream(e.getValue())
                  .anyMatch(f -> f.getMethodName().equals("idleUntilWork"))));
      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
          .doesNotContain("errand-far-2");
    }
  }

  @Test
  void aDelayThatEndsAfterTheYear9999IsRefused() {
    ManualClock clock = new ManualClock(Instant.parse("9990-01-01T00:00:00Z"));
    try (Errand errand = Errand.builder().clock(clock)
        .queue(QueueSpec.builder("q", Object.class, ctx -> null).build())
        .build()) {
      assertThatThrownBy(() -> errand.submit("q", null,
          SubmitOptions.delayed(Duration.ofDays(3_660))))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("the time to run at must be from 1970-01-01T00:00:00Z");
    }
  }

  @Test
  void anIdGeneratorNumbersTheTasksAndARepeatedIdIsRefused() {
    AtomicLong next = new AtomicLong(1_000);
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> null)
            .idGenerator(() -> next.get() < 1_002 ? next.getAndIncrement() : 1_000).build())
        .build()) {
      assertThat(errand.submit("q", null)).isEqualTo(1_000);
      assertThat(errand.submit("q", null)).isEqualTo(1_001);
      assertThatThrownBy(() -> errand.submit("q", null))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("task id 1000 is already used");
    }
  }

  @Test
  void finishedTasksStayForTheirRetentionThenAreForgotten() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = Errand.builder().clock(clock)
        .queue(QueueSpec.builder("q", Object.class, ctx -> null)
            .retention(Duration.ofHours(1)).build())
        .build()) {
      long id = errand.submit("q", null);
      Await.finished(errand, id);
      clock.advance(Duration.ofMinutes(59));
      assertThat(errand.get(id)).isPresent();

      clock.advance(Duration.ofMinutes(2));
      await().until(() -> errand.get(id).isEmpty());
      assertThat(errand.cancel(id, "x")).isEqualTo(new io.errand.api.CancelResult.Unknown(id));
    }
  }

  @Test
  void aClockThatMovesOnDuringASweepDoesNotPutOffTheNextSweep() {
    ManualClock clock = new ManualClock(T0);
    AtomicBoolean moveDuringSweep = new AtomicBoolean();
    // The clock passes the task's retention while a sweep that began before it is still running:
    // the next sweep must come one interval after that one began, not after it ended.
    TaskStore store = HookedStore.of(new MemoryStore(), (method, result) -> {
      if (method.equals("purge") && moveDuringSweep.compareAndSet(true, false)) {
        clock.advance(Duration.ofMinutes(2));
      }
    });
    try (Errand errand = Errand.builder().clock(clock).store(store)
        .queue(QueueSpec.builder("q", Object.class, ctx -> null)
            .retention(Duration.ofHours(1)).build())
        .build()) {
      long id = errand.submit("q", null);
      Await.finished(errand, id);
      moveDuringSweep.set(true);
      clock.advance(Duration.ofMinutes(59));

      await().until(() -> errand.get(id).isEmpty());
      assertThat(moveDuringSweep).isFalse();
    }
  }
}
