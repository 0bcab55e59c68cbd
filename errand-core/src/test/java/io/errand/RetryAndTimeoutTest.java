package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.ManualClock;
import io.errand.api.NonRetryableException;
import io.errand.api.QueueSpec;
import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.memory.MemoryStore;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retries, backoff and time-outs, driven by a manual clock: no test here sleeps. */
class RetryAndTimeoutTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void failedAttemptWaitsForItsBackoffThenRetriesUntilSuccess() {
    ManualClock clock = new ManualClock(T0);
    AtomicInteger calls = new AtomicInteger();
    List<EventType> events = new CopyOnWriteArrayList<>();
    try (Errand errand = Errand.builder().clock(clock)
        .listener("recorder", e -> events.add(e.type()))
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          if (calls.incrementAndGet() < 3) {
            throw new IllegalStateException("flaky " + ctx.attempt());
          }
          return "ok on " + ctx.attempt();
        }).attempts(3).backoff(Backoff.fixed(Duration.ofSeconds(60))).build())
        .build()) {
      long id = errand.submit("q", null);
      TaskInfo waiting = Await.status(errand, id, TaskStatus.WAITING);
      await().until(() -> calls.get() == 1);
      waiting = awaitAttemptWaiting(errand, id, 1);
      assertThat(waiting.runAt()).isEqualTo(T0.plusSeconds(60));
      assertThat(waiting.errors()).extracting(TaskError::message).containsExactly("flaky 1");

      clock.advance(Duration.ofSeconds(59));
      assertThat(calls).hasValue(1); // not due yet: the retry must not start early
      clock.advance(Duration.ofSeconds(1));
      awaitAttemptWaiting(errand, id, 2);
      clock.advance(Duration.ofSeconds(60));
      TaskInfo done = Await.finished(errand, id);

      assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(done.attempt()).isEqualTo(3);
      assertThat(done.response()).isEqualTo("ok on 3");
      assertThat(done.errors()).extracting(TaskError::attempt).containsExactly(1, 2);
      assertThat(errand.metrics("q").retried()).isEqualTo(2);
      await().until(() -> events.contains(EventType.SUCCEEDED));
      assertThat(events).containsSubsequence(EventType.ADDED, EventType.STARTED,
          EventType.RETRYING, EventType.STARTED, EventType.RETRYING, EventType.STARTED,
          EventType.SUCCEEDED);
    }
  }

  @Test
  void timeoutCancelsTheAttemptThenRetriesThenFailsWithEveryAttemptCounted() {
    ManualClock clock = new ManualClock(T0);
    AtomicInteger started = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    try (Errand errand = Errand.builder().clock(clock)
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          started.incrementAndGet();
          try {
            Thread.sleep(Duration.ofMinutes(10));
          } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            throw e;
          }
          return null;
        }).timeout(Duration.ofSeconds(30)).attempts(2)
            .backoff(Backoff.fixed(Duration.ofSeconds(5))).build())
        .build()) {
      long id = errand.submit("q", null);
      TaskInfo first = Await.status(errand, id, TaskStatus.RUNNING);
      assertThat(first.attempt()).isEqualTo(1);

      clock.advance(Duration.ofSeconds(30));
      TaskInfo retrying = awaitAttemptWaiting(errand, id, 1);
      assertThat(retrying.errors()).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo("timeout");
        assertThat(e.message()).isEqualTo("timed out after 30s");
      });

      clock.advance(Duration.ofSeconds(5));
      await().until(() -> started.get() == 2);
      Await.status(errand, id, TaskStatus.RUNNING);
      clock.advance(Duration.ofSeconds(30));
      TaskInfo done = Await.finished(errand, id);

      assertThat(done.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(done.attempt()).isEqualTo(2);
      assertThat(done.errors()).extracting(TaskError::type).containsExactly("timeout", "timeout");
      assertThat(done.response()).isEqualTo(done.errors().get(1));
      assertThat(interrupted).hasValue(2);
      // counted just after the store recorded the end, which the awaiter may see first
      await().untilAsserted(() -> assertThat(errand.metrics("q").failed()).isEqualTo(1));
      assertThat(errand.metrics("q").retried()).isEqualTo(1);
    }
  }

  @Test
  void theTimeOutCountsFromTheStartTheTaskShows() {
    ManualClock clock = new ManualClock(T0);
    AtomicBoolean moved = new AtomicBoolean();
    // The clock passes the time-out between the claim (startedAt) and the handler's start, as a
    // test that advances it once it sees RUNNING may do on a busy machine.
    TaskStore store = HookedStore.of(new MemoryStore(), (method, result) -> {
      if (HookedStore.claimed(method, result) != null && moved.compareAndSet(false, true)) {
        clock.advance(Duration.ofSeconds(30));
      }
    });
    try (Errand errand = Errand.builder().clock(clock).store(store)
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          Thread.sleep(Duration.ofMinutes(10));
          return null;
        }).timeout(Duration.ofSeconds(30)).build())
        .build()) {
      long id = errand.submit("q", null);
      TaskInfo done = Await.finished(errand, id);

      assertThat(done.startedAt()).isEqualTo(T0);
      assertThat(done.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(done.message()).isEqualTo("timed out after 30s");
    }
  }

  @Test
  void nonRetryableErrorFailsAtOnceWhateverAttemptsAreLeft() {
    AtomicInteger calls = new AtomicInteger();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          calls.incrementAndGet();
          throw new NonRetryableException("account 42 does not exist");
        }).attempts(5).build())
        .build()) {
      TaskInfo done = Await.finished(errand, errand.submit("q", null));

      assertThat(done.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(done.attempt()).isEqualTo(1);
      assertThat(done.message()).isEqualTo("account 42 does not exist");
      assertThat(done.lastError().orElseThrow().type())
          .isEqualTo(NonRetryableException.class.getName());
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void deadlineIsVisibleToTheHandler() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = Errand.builder().clock(clock)
        .queue(QueueSpec.builder("q", Object.class, Instant.class,
                ctx -> ctx.deadline().orElseThrow())
            .timeout(Duration.ofMinutes(5)).build())
        .build()) {
      TaskInfo done = Await.finished(errand, errand.submit("q", null));
      assertThat(done.response()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    }
  }

  @Test
  void exponentialBackoffGrowsAndStaysWithinItsBounds() {
    Backoff b = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(10), 0);
    assertThat(b.delayBefore(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delayBefore(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.delayBefore(5)).isEqualTo(Duration.ofSeconds(8));
    assertThat(b.delayBefore(6)).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.delayBefore(500)).isEqualTo(Duration.ofSeconds(10));
    Backoff jittered = Backoff.exponential(Duration.ofSeconds(4), Duration.ofSeconds(4), 0.25);
    for (int i = 0; i < 200; i++) {
      assertThat(jittered.delayBefore(2)).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
    }
  }

  private static TaskInfo awaitAttemptWaiting(Errand errand, long id, int attempt) {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      TaskInfo t = errand.get(id).orElseThrow();
      return t.status() == TaskStatus.WAITING && t.attempt() == attempt;
    });
    return errand.get(id).orElseThrow();
  }
}
