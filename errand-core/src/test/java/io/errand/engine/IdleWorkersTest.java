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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The idle set of a queue holds each worker at most once however many times its workers park
 * (an idle queue used to add an entry per park and only a signal removed one: it grew without
 * bound).
 */
class IdleWorkersTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int WORKERS = 4;
  private static final int PARKS = 5_000;

  @Test
  void manyParkCyclesLeaveAtMostOneEntryPerWorker() {
    // A task due 1 ms after a clock that never moves: each worker finds nothing due and parks
    // for the 1 ms left, again and again, so the test drives many park cycles in a second or
    // two instead of one a second.
    ManualClock clock = new ManualClock(T0);
    AtomicLong parks = new AtomicLong(); // one nextDue per park cycle
    try (Errand errand = Errand.builder().clock(clock).store(counting(parks))
        .queue(QueueSpec.builder("q", Integer.class, ctx -> ctx.args())
            .workers(WORKERS).build())
        .build()) {
      QueueRunner runner = ((Engine) errand).runners().iterator().next();
      long later = errand.submit("q", 1, SubmitOptions.delayed(Duration.ofMillis(1)));

      await().atMost(Duration.ofMinutes(5)).until(() -> parks.get() >= PARKS);

      assertThat(runner.idleCount()).isBetween(0, WORKERS);
      clock.advance(Duration.ofMillis(1)); // the workers still answer: the task runs
      await().until(() -> errand.get(later).orElseThrow().status() == TaskStatus.SUCCESS);
      await().until(() -> runner.idleCount() == WORKERS); // all back to waiting, once each
    }
  }

  /** A memory store that counts the calls of {@code nextDue}: one per park of a worker. */
  private static TaskStore counting(AtomicLong nextDueCalls) {
    MemoryStore store = new MemoryStore();
    Tasks tasks = (Tasks) Proxy.newProxyInstance(Tasks.class.getClassLoader(),
        new Class<?>[] {Tasks.class}, (proxy, method, args) -> {
          if (method.getName().equals("nextDue")) {
            nextDueCalls.incrementAndGet();
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
