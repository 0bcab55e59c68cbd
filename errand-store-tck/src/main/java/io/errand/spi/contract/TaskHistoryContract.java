package io.errand.spi.contract;

import static io.errand.spi.contract.NewTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.errand.api.HistoryBucket;
import io.errand.api.InvalidTaskException;
import io.errand.api.ManualClock;
import io.errand.spi.StoreContext;
import io.errand.spi.TaskHistory;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store with a {@link TaskStore#history()} role must do: sum what is added into one
 * bucket per queue and minute (maxima the larger), read a range of them in order, prune the old
 * ones, and sum adds made at once (by threads; on a shared store by a second node). A store
 * module runs it by extending this class; each test gets a fresh store.
 */
public abstract class TaskHistoryContract {
  private static final Instant M0 = T0.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
  private static final Instant M1 = M0.plus(Duration.ofMinutes(1));
  private static final Instant M2 = M0.plus(Duration.ofMinutes(2));

  private TaskStore store;
  private TaskHistory history;

  /** A new, empty store, not yet opened. */
  protected abstract TaskStore newStore();

  /**
   * A second store on the same data as the one {@link #newStore} made last (another node of a
   * shared store), not yet opened; null (the default) for a store that is not shared.
   */
  protected TaskStore secondNode() {
    return null;
  }

  /** The store under test, for a subclass's own clean-up. */
  protected TaskStore store() {
    return store;
  }

  @BeforeEach
  void openStore() {
    store = newStore();
    open(store, "node-a");
    history = store.history().orElseThrow(() -> new AssertionError("the store has no history"));
  }

  private static void open(TaskStore s, String node) {
    s.open(new StoreContext(new ManualClock(T0), new RecordingSignals(),
        new JsonTestCodec(Map.of()), node));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static HistoryBucket b(String queue, Instant start, long ok, long failed, long waitMax,
      long runMax) {
    return new HistoryBucket(queue, start, ok, failed, ok + failed, 10 * (ok + failed), waitMax,
        ok + failed, 100 * (ok + failed), runMax);
  }

  @Test
  void addsSumIntoOneBucketPerQueueAndMinute() {
    history.add(List.of(b("mail", M0, 3, 1, 40, 500), b("sms", M0, 1, 0, 5, 5)));
    history.add(List.of(b("mail", M0, 2, 0, 90, 200), b("mail", M1, 1, 1, 1, 1)));

    assertThat(history.read(null, M0, M2)).containsExactly(
        new HistoryBucket("mail", M0, 5, 1, 6, 60, 90, 6, 600, 500),
        b("mail", M1, 1, 1, 1, 1),
        b("sms", M0, 1, 0, 5, 5));
  }

  @Test
  void readsOneQueueAndOnlyTheRangeFromInclusiveToExclusive() {
    history.add(List.of(b("mail", M0, 1, 0, 1, 1), b("mail", M1, 2, 0, 1, 1),
        b("mail", M2, 3, 0, 1, 1), b("sms", M1, 4, 0, 1, 1)));

    assertThat(history.read("mail", M1, M2)).containsExactly(b("mail", M1, 2, 0, 1, 1));
    assertThat(history.read("mail", M0, M2.plusSeconds(1))).extracting(HistoryBucket::succeeded)
        .containsExactly(1L, 2L, 3L);
    assertThat(history.read("nobody", M0, M2)).isEmpty();
  }

  @Test
  void pruneRemovesOnlyBucketsStartingBeforeItsTime() {
    history.add(List.of(b("mail", M0, 1, 0, 1, 1), b("mail", M1, 2, 0, 1, 1),
        b("sms", M0, 3, 0, 1, 1)));

    assertThat(history.prune(M1)).isEqualTo(2);
    assertThat(history.read(null, M0, M2)).containsExactly(b("mail", M1, 2, 0, 1, 1));
    assertThat(history.prune(M1)).isZero();
  }

  @Test
  void refusesAStartThatIsNotAWholeMinuteAndAnEmptyRange() {
    assertThatThrownBy(() -> history.add(List.of(b("mail", M0.plusSeconds(1), 1, 0, 1, 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole minute");
    assertThatThrownBy(() -> history.read(null, M1, M1))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("must be before");
    assertThat(history.read(null, M0, M2)).isEmpty();
  }

  @Test
  void addsMadeAtOnceByManyThreadsAllCount() throws Exception {
    int threads = 4;
    int rounds = 25;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long waitMax = t;
      started.add(Thread.ofPlatform().start(() -> {
        awaitQuietly(go);
        for (int r = 0; r < rounds; r++) {
          history.add(List.of(b("sms", M1, 1, 0, waitMax, 1), b("mail", M0, 1, 1, waitMax, 1)));
        }
      }));
    }
    go.countDown();
    for (Thread t : started) {
      t.join();
    }

    List<HistoryBucket> read = history.read(null, M0, M2);
    assertThat(read).extracting(HistoryBucket::queue).containsExactly("mail", "sms");
    assertThat(read.get(0).succeeded()).isEqualTo(threads * rounds);
    assertThat(read.get(0).failed()).isEqualTo(threads * rounds);
    assertThat(read.get(0).waitMaxMillis()).isEqualTo(threads - 1);
    assertThat(read.get(1).started()).isEqualTo(threads * rounds);
  }

  @Test
  void aSecondNodeOfASharedStoreAddsIntoTheSameBuckets() {
    TaskStore other = secondNode();
    assumeTrue(other != null, "the store is not shared between nodes");
    try {
      open(other, "node-b");
      TaskHistory otherHistory = other.history().orElseThrow();
      history.add(List.of(b("mail", M0, 2, 0, 7, 70)));
      otherHistory.add(List.of(b("mail", M0, 3, 1, 9, 20)));

      HistoryBucket expected = new HistoryBucket("mail", M0, 5, 1, 6, 60, 9, 6, 600, 70);
      assertThat(history.read(null, M0, M1)).containsExactly(expected);
      assertThat(otherHistory.read("mail", M0, M1)).containsExactly(expected);
    } finally {
      other.close();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
