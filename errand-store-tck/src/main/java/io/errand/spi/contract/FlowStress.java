package io.errand.spi.contract;

import io.errand.api.ConcurrencyKey;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A per-key limit of 1 under load through real engines and real worker threads: tasks of
 * {@code keys} tenants, {@code each} per tenant, submitted interleaved; each handler counts
 * itself in flight for its tenant from its start to just before it returns (a span inside its
 * task's RUNNING time) and notes the most ever in flight for one tenant. Stores run it with one
 * Errand or several sharing the store.
 */
public final class FlowStress {
  /** The queue's name. */
  public static final String Q = "tenants";
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger most = new AtomicInteger();
  private final AtomicInteger ran = new AtomicInteger();

  /** A task's arguments: its tenant. */
  public record Job(String tenant, int n) {}

  /** The spec of the stressed queue: {@code workers} workers, per-key limit 1 by tenant. */
  public QueueSpec<Job, Integer> spec(int workers) {
    return QueueSpec.builder(Q, Job.class, Integer.class, ctx -> {
      AtomicInteger mine = inFlight.computeIfAbsent(ctx.args().tenant(),
          t -> new AtomicInteger());
      most.accumulateAndGet(mine.incrementAndGet(), Math::max);
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100)); // some work, overlapping
      mine.decrementAndGet();
      ran.incrementAndGet();
      return ctx.args().n();
    }).workers(workers).concurrencyKey(ConcurrencyKey.argsField("tenant"))
        .perKeyConcurrency(1).build();
  }

  /**
   * Submits {@code keys} × {@code each} tasks through {@code submitter} in batches and waits
   * (up to {@code within}) until every one ended SUCCESS, read through {@code reader}.
   */
  public void run(Errand submitter, Errand reader, int keys, int each, Duration within) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < each; i++) {
      List<Job> round = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        round.add(new Job("t" + k, i));
      }
      ids.addAll(submitter.submitBatch(Q, round).ids());
    }
    for (long id : ids) {
      try {
        TaskStatus status = reader.await(id).get(within.toMillis(), TimeUnit.MILLISECONDS)
            .status();
        if (status != TaskStatus.SUCCESS) {
          throw new AssertionError("task " + id + " ended " + status);
        }
      } catch (Exception e) {
        throw new AssertionError("task " + id + " did not finish: " + reader.get(id), e);
      }
    }
  }

  /** The most tasks of one tenant ever in flight at once. */
  public int most() {
    return most.get();
  }

  /** How many handlers ran to their end. */
  public int ran() {
    return ran.get();
  }
}
