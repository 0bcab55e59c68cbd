package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.ManualClock;
import io.errand.api.QueueSpec;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A handler deciding for its own task through its context: snooze (run again later, the
 * attempt not charged) and cancel itself (CANCELLED, no retry). Driven by a manual clock.
 */
class HandlerControlTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();

  private Errand errand(QueueSpec<?, ?> spec) {
    return Errand.builder().clock(clock).listener("recorder", events::add).queue(spec).build();
  }

  private static TaskInfo awaitWaitingAfter(Errand errand, long id, AtomicInteger calls, int n) {
    await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() == n
        && errand.get(id).orElseThrow().status() == TaskStatus.WAITING);
    return errand.get(id).orElseThrow();
  }

  @Test
  void aSnoozedTaskWaitsItsDelayThenRunsAgainWithItsAttemptNotCharged() {
    try (Errand errand = errand(QueueSpec.builder("q", Object.class, ctx -> {
      if (calls.incrementAndGet() < 3) {
        ctx.snooze(Duration.ofMinutes(1));
      }
      return "done on attempt " + ctx.attempt();
    }).attempts(1).build())) {
      long id = errand.submit("q", null);
      TaskInfo snoozed = awaitWaitingAfter(errand, id, calls, 1);
      assertThat(snoozed.attempt()).as("the snoozed attempt is not charged").isZero();
      assertThat(snoozed.runAt()).isEqualTo(T0.plusSeconds(60));
      assertThat(snoozed.errors()).isEmpty();

      clock.advance(Duration.ofSeconds(59));
      assertThat(calls).as("not due yet").hasValue(1);
      clock.advance(Duration.ofSeconds(1));
      awaitWaitingAfter(errand, id, calls, 2);
      clock.advance(Duration.ofSeconds(60));
      TaskInfo done = Await.finished(errand, id);

      assertThat(done.status()).as("3 attempts ran on a queue of 1").isEqualTo(TaskStatus.SUCCESS);
      assertThat(done.attempt()).isEqualTo(1);
      assertThat(done.response()).isEqualTo("done on attempt 1");
      await().until(() -> events.stream().anyMatch(e -> e.type() == EventType.SUCCEEDED));
      assertThat(events).filteredOn(e -> e.type() == EventType.SNOOZED).hasSize(2)
          .allSatisfy(e -> {
            assertThat(e.message()).isEqualTo("snoozed for 1m");
            assertThat(e.attempt()).as("names the attempt that ran").isEqualTo(1);
            assertThat(e.status()).isEqualTo(TaskStatus.WAITING);
          });
    }
  }

  @Test
  void aSnoozeStandsEvenIfTheHandlerSwallowsItsException() {
    try (Errand errand = errand(QueueSpec.builder("q", Object.class, ctx -> {
      if (calls.incrementAndGet() == 1) {
        try {
          ctx.snooze(Duration.ofSeconds(30));
        } catch (RuntimeException swallowed) {
          return "the handler went on"; // a catch-all: the snooze was recorded before
        }
      }
      return "second run";
    }).build())) {
      long id = errand.submit("q", null);
      assertThat(awaitWaitingAfter(errand, id, calls, 1).runAt()).isEqualTo(T0.plusSeconds(30));
      clock.advance(Duration.ofSeconds(30));
      assertThat(Await.finished(errand, id).response()).isEqualTo("second run");
    }
  }

  @Test
  void aHandlerThatCancelsItselfEndsCancelledWithItsReasonAndNoRetry() {
    try (Errand errand = errand(QueueSpec.builder("q", Object.class, ctx -> {
      calls.incrementAndGet();
      ctx.cancelSelf("account deleted");
      return "never";
    }).attempts(3).build())) {
      long id = errand.submit("q", null);
      TaskInfo done = Await.finished(errand, id);
      assertThat(done.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(done.cancelReason()).isEqualTo("account deleted");
      assertThat(done.attempt()).isEqualTo(1);
      assertThat(calls).as("no retry").hasValue(1);
      assertThat(errand.metrics("q").cancelled()).isEqualTo(1);
      await().until(() -> events.stream().anyMatch(e -> e.type() == EventType.CANCELLED));
      assertThat(events).noneMatch(e -> e.type() == EventType.RETRYING);
    }
  }

  @Test
  void aBadSnoozeDelayFailsTheAttemptNamingTheDelay() {
    try (Errand errand = errand(QueueSpec.builder("q", Object.class, ctx -> {
      ctx.snooze(Duration.ofSeconds(-5));
      return "never";
    }).build())) {
      TaskInfo done = Await.finished(errand, errand.submit("q", null));
      assertThat(done.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(done.errors()).singleElement().satisfies(e -> assertThat(e.message())
          .contains("snooze delay must be from 0 to 36525 days, was PT-5S"));
    }
  }
}
