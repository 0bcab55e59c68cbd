package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.HistoryBucket;
import io.errand.api.InvalidTaskException;
import io.errand.api.ManualClock;
import io.errand.api.QueueSpec;
import io.errand.api.UnknownQueueException;
import io.errand.memory.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's history of each queue: this node's attempts counted per minute and added to the
 * store's buckets (before a read, at shutdown, on a timer), pruned after a day and an hour.
 */
class HistoryTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:10Z");
  private static final Instant MINUTE = Instant.parse("2026-01-01T10:00:00Z");

  private static Errand.Builder errand(ManualClock clock, MemoryStore store) {
    return Errand.builder().clock(clock).store(store)
        .queue(QueueSpec.builder("q", String.class, ctx -> {
          if ("fail".equals(ctx.args())) {
            throw new IllegalStateException("asked to fail");
          }
          return null;
        }).attempts(1).build())
        .queue(QueueSpec.builder("idle", String.class, ctx -> null).build());
  }

  private static List<Long> run(Errand errand, String... args) {
    List<Long> ids = new ArrayList<>();
    for (String a : args) {
      ids.add(errand.submit("q", a));
    }
    ids.forEach(id -> Await.finished(errand, id));
    return ids;
  }

  @Test
  void aReadCountsWhatEachQueueDidInItsMinute() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = errand(clock, new MemoryStore()).build()) {
      run(errand, "a", "b", "c", "fail");

      // An attempt is counted as its worker lets it go, just after the task shows finished.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
          errand.history(null, MINUTE, MINUTE.plusSeconds(60), Duration.ofMinutes(1)))
          .singleElement().satisfies(b -> {
            assertThat(b.queue()).isEqualTo("q");
            assertThat(b.start()).isEqualTo(MINUTE);
            assertThat(b.succeeded()).isEqualTo(3);
            assertThat(b.failed()).isEqualTo(1);
            assertThat(b.started()).isEqualTo(4);
            assertThat(b.ran()).isEqualTo(4);
          }));
      assertThat(errand.history("idle", MINUTE, MINUTE.plusSeconds(60), Duration.ofMinutes(1)))
          .isEmpty();
    }
  }

  @Test
  void spansSumTheirMinutesAndOldMinutesArePrunedAfterADayAndAnHour() {
    ManualClock clock = new ManualClock(T0);
    try (Errand errand = errand(clock, new MemoryStore()).build()) {
      run(errand, "a");
      await().until(() -> total(errand, MINUTE) == 1);
      clock.advance(Duration.ofMinutes(3));
      run(errand, "b", "c");
      await().until(() -> total(errand, MINUTE) == 3);

      List<HistoryBucket> quarter = errand.history("q", MINUTE, MINUTE.plusSeconds(3600),
          Duration.ofMinutes(15));
      assertThat(quarter).extracting(HistoryBucket::start, HistoryBucket::succeeded)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(MINUTE, 3L));

      clock.advance(Duration.ofHours(26));
      run(errand, "d");
      Instant now = clock.instant();
      await().until(() -> total(errand, now.minus(Duration.ofHours(1))) == 1);
      assertThat(errand.history(null, MINUTE, MINUTE.plusSeconds(3600), Duration.ofMinutes(1)))
          .as("pruned: older than a day and an hour").isEmpty();
    }
  }

  @Test
  void shutdownAddsTheLastCountsToTheStore() {
    ManualClock clock = new ManualClock(T0);
    MemoryStore store = new MemoryStore();
    Errand errand = errand(clock, store).build();
    run(errand, "a", "b");
    errand.close(); // the timer never fired: the clock did not move

    assertThat(store.history().orElseThrow().read("q", MINUTE, MINUTE.plusSeconds(60)))
        .singleElement().satisfies(b -> assertThat(b.succeeded()).isEqualTo(2));
  }

  @Test
  void badReadsAreRefusedNamingWhatIsWrong() {
    try (Errand errand = errand(new ManualClock(T0), new MemoryStore()).build()) {
      assertThatThrownBy(() -> errand.history(null, MINUTE, MINUTE.plusSeconds(60),
          Duration.ofSeconds(90))).isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("step must be a whole number of minutes");
      assertThatThrownBy(() -> errand.history(null, MINUTE, MINUTE, Duration.ofMinutes(1)))
          .isInstanceOf(InvalidTaskException.class).hasMessageContaining("must be before");
      assertThatThrownBy(() -> errand.history(null, MINUTE, MINUTE.plus(Duration.ofDays(30)),
          Duration.ofMinutes(1))).isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("take a longer step");
      assertThatThrownBy(() -> errand.history("nope", MINUTE, MINUTE.plusSeconds(60),
          Duration.ofMinutes(1))).isInstanceOf(UnknownQueueException.class);
    }
  }

  private static long total(Errand errand, Instant from) {
    return errand.history("q", from, from.plus(Duration.ofHours(2)), Duration.ofMinutes(1))
        .stream().mapToLong(HistoryBucket::succeeded).sum();
  }
}
