package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.QueueSpec;
import io.errand.api.Subscription;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Listeners never sit on a worker's critical path. */
class ListenerTest {

  @Test
  void aThrowingListenerBreaksNothingAndKeepsReceiving() {
    AtomicInteger calls = new AtomicInteger();
    try (Errand errand = Errand.builder()
        .listener("broken", e -> {
          calls.incrementAndGet();
          throw new IllegalStateException("listener bug");
        })
        .queue(QueueSpec.builder("q", Integer.class, ctx -> ctx.args() + 1).build())
        .build()) {
      for (int i = 0; i < 10; i++) {
        assertThat(Await.finished(errand, errand.submit("q", i)).status())
            .isEqualTo(TaskStatus.SUCCESS);
      }
      await().until(() -> calls.get() == 30); // ADDED, STARTED, SUCCEEDED for each
    }
  }

  @Test
  void aBlockedListenerNeverStallsWorkersAndDropsOnlyItsOwnEvents() {
    Gate blocked = new Gate();
    AtomicInteger healthySucceeded = new AtomicInteger();
    // 210,000 events in all, more than the blocked listener's buffer of 65,536 holds. They come
    // in rounds of 30,000, each awaited by the healthy listener before the next: a listener
    // that keeps up must lose nothing, but keeping up with an unpaced burst of 210,000 events
    // is up to the OS scheduler on a busy machine (the buffer is bounded by design).
    int rounds = 7;
    int perRound = 10_000;
    int tasks = rounds * perRound;
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> null).workers(4).capacity(tasks).build())
        .build()) {
      Subscription stuck = errand.listen("stuck", e -> blocked.passIgnoringInterrupts());
      Subscription healthy = errand.listen("healthy", e -> {
        if (e.type() == EventType.SUCCEEDED) {
          healthySucceeded.incrementAndGet();
        }
      });
      for (int r = 1; r <= rounds; r++) {
        long last = 0;
        for (int i = 0; i < perRound; i++) {
          last = errand.submit("q", null);
        }
        Await.finished(errand, last); // the workers run on while "stuck" blocks
        int delivered = r * perRound;
        await().atMost(Duration.ofMinutes(1)).until(() -> healthySucceeded.get() == delivered);
      }
      await().until(() -> errand.metrics("q").succeeded() == tasks);

      assertThat(healthy.dropped()).isZero();
      assertThat(stuck.dropped()).isPositive();
      blocked.open();
    }
  }

  @Test
  void eventsOfOneTaskArriveInLifecycleOrder() {
    List<EventType> seen = new CopyOnWriteArrayList<>();
    try (Errand errand = Errand.builder()
        .listener("order", e -> seen.add(e.type()))
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          ctx.progress(1, 2, "half");
          ctx.progress(2, 2, "all");
          return null;
        }).build())
        .build()) {
      Await.finished(errand, errand.submit("q", null));
      await().until(() -> seen.contains(EventType.SUCCEEDED));
      assertThat(seen).containsExactly(EventType.ADDED, EventType.STARTED, EventType.PROGRESS,
          EventType.PROGRESS, EventType.SUCCEEDED);
    }
  }
}
