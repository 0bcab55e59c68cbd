package io.errand.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A queue limited to 3 running tasks on two nodes of 2 workers each (4 workers, so only the
 * limit keeps a fourth task from running, and neither node can fill the limit alone): the
 * limit holds across the nodes, sampled by the handlers, which count themselves in flight
 * inside their task's RUNNING time; both nodes take part.
 */
class TwoNodeConcurrencyLimitTest extends TwoErrandNodes {
  private static final String Q = "limited";
  private static final int LIMIT = 3;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger most = new AtomicInteger();
  private final Map<Long, String> ranOn = new ConcurrentHashMap<>();

  @Override
  Errand node(String name) {
    // A parked node learns of room left by the other node's ends from its sweep (a full
    // queue's tasks are due but wait for room): a short one, so both nodes take part.
    PostgresStore store = PostgresStore.builder(db.url()).schema(schema).poolSize(10)
        .sweep(Duration.ofMillis(100)).build();
    QueueSpec<Integer, Integer> limited = QueueSpec.builder(Q, Integer.class, ctx -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      ranOn.put(ctx.id(), name);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      inFlight.decrementAndGet();
      return ctx.args();
    }).workers(2).concurrency(LIMIT).build();
    return Errand.builder().store(store).node(name).queue(limited)
        .shutdownGrace(Duration.ofSeconds(5)).build();
  }

  private static TaskInfo finished(Errand errand, long id) {
    try {
      return errand.await(id).get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("task " + id + " did not finish: " + errand.get(id), e);
    }
  }

  @Test
  void theLimitHoldsAcrossTwoNodes() {
    List<Long> ids = a.submitBatch(Q, IntStream.range(0, 600).boxed().toList()).ids();
    ids.forEach(id -> assertThat(finished(b, id).status()).isEqualTo(TaskStatus.SUCCESS));
    assertThat(most.get()).as("most handlers in flight at once on both nodes")
        .isBetween(1, LIMIT);
    assertThat(ranOn.values().stream().distinct()).containsExactlyInAnyOrder("node-a", "node-b");
  }
}
