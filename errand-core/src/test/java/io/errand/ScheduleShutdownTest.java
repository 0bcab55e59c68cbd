package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.OverlapPolicy;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.api.ScheduleState;
import io.errand.memory.MemoryStore;
import io.errand.spi.ForwardingTaskStore;
import io.errand.spi.NewTask;
import io.errand.spi.ScheduleStep;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoredSchedule;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * At shutdown the schedule runner stops before the store closes: the store sees no schedule
 * call once it is closed, even when the runner was inside a slow store call as the shutdown
 * began.
 */
class ScheduleShutdownTest {

  @Test
  void theRunnerEndsBeforeTheStoreCloses() throws Exception {
    WatchedStore store = new WatchedStore(new MemoryStore());
    Errand errand = Errand.builder().store(store)
        .queue(QueueSpec.builder("jobs", String.class, ctx -> ctx.args()).build()).build();
    store.errand.set(errand);
    errand.schedules().create(Schedule.builder("tick", "jobs", ScheduleSpec.every(Duration.ofSeconds(1)))
        .args("x").overlap(OverlapPolicy.ALLOW).build());
    assertThat(store.inSlowCall.await(30, TimeUnit.SECONDS)).isTrue();

    errand.close();

    assertThat(store.closed).isTrue();
    assertThat(store.runnerAliveAtClose.get()).as("runner thread alive as the store closed")
        .isFalse();
    assertThat(store.callAfterClose.get()).as("a schedule call after the store closed").isNull();
  }

  /**
   * A memory store whose schedule role records the runner's thread and, once, stays inside a
   * {@code due} call until the shutdown began and then until the store closes (at most 2 s):
   * a runner not stopped before the close is still there when it comes.
   */
  private static final class WatchedStore extends ForwardingTaskStore {
    final AtomicReference<Errand> errand = new AtomicReference<>();
    final CountDownLatch inSlowCall = new CountDownLatch(1);
    final CountDownLatch closing = new CountDownLatch(1);
    final AtomicBoolean slowDone = new AtomicBoolean();
    final AtomicReference<Thread> runner = new AtomicReference<>();
    final AtomicReference<Boolean> runnerAliveAtClose = new AtomicReference<>();
    final AtomicReference<String> callAfterClose = new AtomicReference<>();
    volatile boolean closed;
    final ScheduleStore schedules;

    WatchedStore(TaskStore inner) {
      super(inner);
      this.schedules = new Watched(inner.schedules().orElseThrow());
    }

    @Override
    public Optional<ScheduleStore> schedules() {
      return Optional.of(schedules);
    }

    @Override
    public void close() {
      Thread t = runner.get();
      runnerAliveAtClose.compareAndSet(null, t != null && t.isAlive());
      closed = true;
      closing.countDown();
      super.close();
    }

    private final class Watched implements ScheduleStore {
      private final ScheduleStore s;

      Watched(ScheduleStore s) {
        this.s = s;
      }

      private void call(String what) {
        if (closed) {
          callAfterClose.compareAndSet(null, what);
        }
      }

      @Override
      public List<StoredSchedule> due(Instant now, int limit) {
        call("due");
        if (Thread.currentThread().getName().equals("errand-schedules")) {
          runner.set(Thread.currentThread());
          if (slowDone.compareAndSet(false, true)) {
            inSlowCall.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> errand.get().isShuttingDown());
            try {
              closing.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }
        return s.due(now, limit);
      }

      @Override
      public Optional<Instant> nextDueAfter(Instant now) {
        call("nextDueAfter");
        return s.nextDueAfter(now);
      }

      @Override
      public boolean create(Schedule schedule, Instant nextDue) {
        return s.create(schedule, nextDue);
      }

      @Override
      public boolean update(Schedule schedule) {
        return s.update(schedule);
      }

      @Override
      public boolean reschedule(Schedule schedule, Instant nextDue) {
        return s.reschedule(schedule, nextDue);
      }

      @Override
      public boolean delete(String name) {
        return s.delete(name);
      }

      @Override
      public boolean setState(String name, ScheduleState state) {
        return s.setState(name, state);
      }

      @Override
      public Optional<StoredSchedule> find(String name) {
        call("find");
        return s.find(name);
      }

      @Override
      public List<StoredSchedule> list() {
        call("list");
        return s.list();
      }

      @Override
      public Optional<Applied> advance(String name, Instant expected, ScheduleStep step) {
        call("advance");
        return s.advance(name, expected, step);
      }

      @Override
      public List<FireResult> fireAll(List<DueFire> fires) {
        call("fireAll");
        return s.fireAll(fires);
      }

      @Override
      public Optional<Applied> releaseHeld(String name, Instant held, NewTask task) {
        call("releaseHeld");
        return s.releaseHeld(name, held, task);
      }

      @Override
      public Optional<Applied> runNow(String name, Instant at, NewTask task) {
        return s.runNow(name, at, task);
      }
    }
  }
}
