package io.errand.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.ManualClock;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskStatus;
import io.errand.memory.MemoryStore;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Idle workers park without timers of their own (an idle queue makes no store calls), a
 * delayed task wakes them through the queue's one due timer, and a woken worker claims for the
 * parked ones too, never more tasks than there are workers to start them.
 */
class IdleWorkersTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void idleWorkersMakeNoStoreCallsAndWakeForADelayedTask() {
    ManualClock clock = new ManualClock(T0);
    AtomicLong calls = new AtomicLong(); // claims and nextDue reads
    int workers = 8;
    try (Errand errand = Errand.builder().clock(clock).store(counting(calls, new AtomicInteger(),
            new CopyOnWriteArrayList<>()))
        .queue(QueueSpec.builder("q", Integer.class, ctx -> ctx.args())
            .workers(workers).build())
        .build()) {
      QueueRunner runner = ((Engine) errand).runners().iterator().next();
      await().until(() -> runner.idleCount() == workers);

      long later = errand.submit("q", 1, SubmitOptions.delayed(Duration.ofMinutes(10)));
      await().until(() -> runner.idleCount() == workers && calls.get() > 0);
      long settled = calls.get();
      // Parked with a task due in 10 minutes: no call at all while they wait. The window is
      // the condition (a count of calls over time), not a measure of speed.
      await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
          .until(() -> calls.get() == settled);

      clock.advance(Duration.ofMinutes(10)); // the due timer wakes one worker: the task runs
      await().until(() -> errand.get(later).orElseThrow().status() == TaskStatus.SUCCESS);
      await().until(() -> runner.idleCount() == workers);
    }
  }

  @Test
  void aWokenWorkerClaimsForTheParkedOnesAndNoMore() throws InterruptedException {
    AtomicLong calls = new AtomicLong();
    AtomicInteger largest = new AtomicInteger();
    List<Integer> maxes = new CopyOnWriteArrayList<>();
    int workers = 4;
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    try (Errand errand = Errand.builder().store(counting(calls, largest, maxes))
        .queue(QueueSpec.builder("q", Integer.class, ctx -> {
          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
          release.await();
          running.decrementAndGet();
          return ctx.args();
        }).workers(workers).build())
        .build()) {
      QueueRunner runner = ((Engine) errand).runners().iterator().next();
      await().until(() -> runner.idleCount() == workers);
      maxes.clear();

      List<Long> ids = errand.submitBatch("q", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)).ids();

      await().until(() -> running.get() == workers);
      assertThat(maxes).as("one claim of many fed the parked workers").contains(workers);
      assertThat(largest.get()).isLessThanOrEqualTo(workers);
      assertThat(errand.list(io.errand.api.TaskQuery.newest(100)
          .withStatus(TaskStatus.RUNNING)).items()).as("claimed = started: nothing waits in a local buffer")
          .hasSize(workers);
      release.countDown();
      await().until(() -> ids.stream().allMatch(
          id -> errand.get(id).orElseThrow().status() == TaskStatus.SUCCESS));
      assertThat(mostAtOnce.get()).isEqualTo(workers);
    }
  }

  /**
   * A memory store that counts claims and nextDue reads in {@code calls}, and notes the
   * {@code max} of each claim of many in {@code maxes} and the largest in {@code largest}.
   */
  private static TaskStore counting(AtomicLong calls, AtomicInteger largest,
      List<Integer> maxes) {
    MemoryStore store = new MemoryStore();
    Tasks tasks = (Tasks) Proxy.newProxyInstance(Tasks.class.getClassLoader(),
        new Class<?>[] {Tasks.class}, (proxy, method, args) -> {
          if (method.getName().equals("nextDue") || method.getName().startsWith("claim")
              || method.getName().equals("finishAndClaim")) {
            calls.incrementAndGet();
          }
          if (method.getName().equals("claim") && args.length == 4) {
            int max = (Integer) args[3];
            maxes.add(max);
            largest.accumulateAndGet(max, Math::max);
            return Tasks.class.getMethod("claim", String.class, String.class, Instant.class,
                int.class).invoke(store.tasks(), args);
          }
          return call(store.tasks(), method, args);
        });
    return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
        new Class<?>[] {TaskStore.class}, (proxy, method, args) ->
            method.getName().equals("tasks") ? tasks : call(store, method, args));
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
