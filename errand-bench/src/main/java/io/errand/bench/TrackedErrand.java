package io.errand.bench;

import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.QueueMetrics;
import io.errand.api.QueueSpec;
import io.errand.api.Subscription;
import io.errand.api.TaskHandler;
import io.errand.memory.MemoryStore;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Errand as the benchmarks use it: one queue with full tracking, which is what a user gets by
 * default and what the targets are about. Every task is recorded in the (default) memory store
 * with its status, progress fields, times and result; the queue's metrics are kept; every event
 * is built and delivered to a {@link CountingListener}; finished tasks stay queryable for a
 * short retention ({@link #RETENTION} unless given), after which the retention sweep removes
 * them, so a long run holds a bounded number of records.
 *
 * @param <A> the queue's argument type
 */
public final class TrackedErrand<A> implements AutoCloseable {
  /** The one queue's name. */
  public static final String QUEUE = "bench";
  /** How long finished tasks stay queryable: short, so that a long run's heap stays bounded. */
  public static final Duration RETENTION = Duration.ofSeconds(10);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final Errand errand;
  private final CountingListener listener = new CountingListener();
  private final Subscription subscription;
  private long submitted;

  /**
   * Starts Errand with queue {@link #QUEUE}.
   *
   * @param argsType the type of the tasks' arguments
   * @param handler  what each task does
   * @param workers  how many tasks run at once
   * @param threads  virtual (Errand's default) or platform worker threads
   * @param capacity the most tasks that may wait at once
   */
  public TrackedErrand(Class<A> argsType, TaskHandler<A, ?> handler, int workers,
      QueueSpec.Threads threads, int capacity) {
    this(argsType, handler, workers, threads, capacity, RETENTION);
  }

  /**
   * As {@link #TrackedErrand(Class, TaskHandler, int, QueueSpec.Threads, int)}, keeping
   * finished tasks for {@code retention}.
   */
  public TrackedErrand(Class<A> argsType, TaskHandler<A, ?> handler, int workers,
      QueueSpec.Threads threads, int capacity, Duration retention) {
    this(argsType, handler, workers, threads, capacity, retention,
        MemoryStore.Payloads.COPIED_THROUGH_JSON);
  }

  /**
   * Errand over {@link Probe}s, which the memory store keeps by reference: the handler must
   * stamp the very probe the benchmark submitted and watches, which a JSON copy would not be.
   */
  public static TrackedErrand<Probe> ofProbes(TaskHandler<Probe, ?> handler, int workers,
      QueueSpec.Threads threads, int capacity) {
    return new TrackedErrand<>(Probe.class, handler, workers, threads, capacity, RETENTION,
        MemoryStore.Payloads.BY_REFERENCE);
  }

  private TrackedErrand(Class<A> argsType, TaskHandler<A, ?> handler, int workers,
      QueueSpec.Threads threads, int capacity, Duration retention,
      MemoryStore.Payloads payloads) {
    this.errand = Errand.builder()
        .store(new MemoryStore(payloads))
        .queue(QueueSpec.builder(QUEUE, argsType, handler)
            .workers(workers)
            .threads(threads)
            .capacity(capacity)
            .retention(retention)
            .build())
        .shutdownGrace(SHUTDOWN_GRACE)
        .build();
    this.subscription = errand.listen("bench-counter", listener);
  }

  /** Submits one task (with default options) and returns its id. Call from one thread. */
  public long submit(A args) {
    submitted++;
    return errand.submit(QUEUE, args);
  }

  /** The Errand under test. */
  public Errand errand() {
    return errand;
  }

  /** The queue's metrics now. */
  public QueueMetrics metrics() {
    return errand.metrics(QUEUE);
  }

  /**
   * Waits (at most 10 s) until Errand recorded every submitted task as finished and the
   * listener received its final event (or an event was dropped), then describes what was
   * tracked. The description says
   * "INCOMPLETE" when something is missing, which makes the run's figures suspect.
   */
  public String settleAndDescribe() {
    long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!settled() && subscription.dropped() == 0 && System.nanoTime() < giveUp) {
      LockSupport.parkNanos(1_000_000);
    }
    QueueMetrics m = metrics();
    return String.format("errand tracked: submitted=%d succeeded=%d failed=%d cancelled=%d "
            + "events=%d (added=%d started=%d finished=%d) dropped=%d%s",
        submitted, m.succeeded(), m.failed(), m.cancelled(), listener.total(),
        listener.count(EventType.ADDED), listener.count(EventType.STARTED), finishedEvents(),
        subscription.dropped(), settled() ? "" : "  <-- INCOMPLETE: results are suspect");
  }

  private boolean settled() {
    return metrics().finished() == submitted && finishedEvents() == submitted
        && subscription.dropped() == 0;
  }

  private long finishedEvents() {
    return listener.count(EventType.SUCCEEDED) + listener.count(EventType.FAILED)
        + listener.count(EventType.CANCELLED);
  }

  /**
   * Shuts Errand down and says how long that took: with a memory store the shutdown walks the
   * retained tasks, so its duration is worth watching.
   */
  public String shutdownAndDescribe() {
    long start = System.nanoTime();
    errand.shutdown(SHUTDOWN_GRACE);
    return String.format("errand shutdown took %d ms", (System.nanoTime() - start) / 1_000_000);
  }

  /** Shuts Errand down (grace 5 s). */
  @Override
  public void close() {
    errand.shutdown(SHUTDOWN_GRACE);
  }
}
