package io.errand.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.ManualClock;
import io.errand.memory.MemoryStore;
import io.errand.spi.Claim;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.StoreContext;
import io.errand.spi.StoreSignals;
import io.errand.spi.TaskRecord;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store's cancel signal for a task no worker here has registered: kept only while a worker
 * of this node holds the task claimed, so signals for tasks that ended, went back or run
 * elsewhere do not pile up.
 */
class CancellationsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String HERE = "node-here";
  private static final String QUEUE = "q";

  /** The store's signals, which these tests do not look at (the Cancellations are called). */
  private static final StoreSignals IGNORED_SIGNALS = new StoreSignals() {
    @Override
    public void added(long id, String queue, String key, Instant createdAt) {}

    @Override
    public void workAvailable(String queue) {}

    @Override
    public void cancelRequested(long id) {}

    @Override
    public void ended(TaskRecord record) {}
  };

  private final ManualClock clock = new ManualClock(T0);
  private MemoryStore store;
  private Cancellations cancellations;

  @BeforeEach
  void open() {
    store = new MemoryStore();
    store.open(new StoreContext(clock, IGNORED_SIGNALS, new JsonCodec(new ObjectMapper(),
        queue -> Object.class, queue -> Object.class, queue -> false), HERE));
    Completions completions = new Completions(store, clock, rec -> { },
        (group, queue, message) -> { }, T0, true);
    cancellations = new Cancellations(store, clock, HERE, completions, rec -> { },
        id -> null); // no attempt registered: every signal lands between claim and start
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aSignalForATaskClaimedHereWaitsForItsWorkerUntilTheTaskEnds() {
    TaskRecord claimed = claimOn(HERE);

    cancellations.cancelRequested(claimed.id());
    assertThat(cancellations.pending()).isEqualTo(1);

    cancellations.ended(claimed.id());
    assertThat(cancellations.pending()).isZero();
  }

  @Test
  void aSignalForATaskRunningOnAnotherNodeIsNotKept() {
    TaskRecord elsewhere = claimOn("node-there");

    cancellations.cancelRequested(elsewhere.id());

    assertThat(cancellations.pending()).isZero();
  }

  @Test
  void aSignalThatArrivesAfterItsTaskEndedIsNotKept() {
    TaskRecord claimed = claimOn(HERE);
    store.tasks().finish(claimed.id(), claimed.info().attempt(), new Outcome.Succeeded(null), T0);

    cancellations.cancelRequested(claimed.id());

    assertThat(cancellations.pending()).isZero();
  }

  @Test
  void aSignalForATaskGivenBackToWaitingIsNotKept() {
    TaskRecord claimed = claimOn(HERE);
    store.tasks().reschedule(claimed.id(), claimed.info().attempt(), null, T0);

    cancellations.cancelRequested(claimed.id());

    assertThat(cancellations.pending()).isZero();
  }

  private TaskRecord claimOn(String node) {
    store.tasks().insert(new NewTask(QUEUE, 0, null, T0, T0, 0, null, 100));
    return ((Claim.Claimed) store.tasks().claim(QUEUE, node, T0)).record();
  }
}
