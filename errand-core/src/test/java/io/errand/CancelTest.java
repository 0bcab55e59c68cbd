package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Backoff;
import io.errand.api.CancelResult;
import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.ManualClock;
import io.errand.api.QueueSpec;
import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.api.TaskStoppedException;
import io.errand.memory.MemoryStore;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every cancel path of DESIGN §3: waiting, cooperative, interrupted, stuck → abandoned. */
class CancelTest {

  @Test
  void waitingTaskIsCancelledAtOnceAndNeverRuns() {
    Gate busy = new Gate();
    AtomicInteger ran = new AtomicInteger();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", String.class, ctx -> {
          if (ctx.args().equals("block")) {
            busy.pass();
          } else {
            ran.incrementAndGet();
          }
          return null;
        }).build())
        .build()) {
      long blocker = errand.submit("q", "block");
      Await.status(errand, blocker, TaskStatus.RUNNING);
      long id = errand.submit("q", "victim");

      assertThat(errand.cancel(id, "not needed")).isEqualTo(new CancelResult.Cancelled(id));
      TaskInfo info = errand.get(id).orElseThrow();
      assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(info.cancelReason()).isEqualTo("not needed");
      assertThat(info.finishedAt()).isNotNull();

      busy.open();
      Await.finished(errand, blocker);
      assertThat(ran).hasValue(0);
      assertThat(errand.metrics("q").cancelled()).isEqualTo(1);
    }
  }

  @Test
  void cooperativeHandlerStopsAtItsCheckpoint() {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean sawCancel = new AtomicBoolean();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          started.countDown();
          try {
            while (true) {
              ctx.checkpoint();
              Thread.onSpinWait();
            }
          } catch (TaskStoppedException e) {
            sawCancel.set(ctx.isCancelled());
            throw e;
          }
        }).build())
        .build()) {
      long id = errand.submit("q", null);
      Await.status(errand, id, TaskStatus.RUNNING);

      assertThat(errand.cancel(id, "user asked")).isEqualTo(new CancelResult.Stopping(id));
      TaskInfo info = Await.finished(errand, id);

      assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(info.cancelReason()).isEqualTo("user asked");
      assertThat(sawCancel).isTrue();
      assertThat(errand.metrics("q").abandoned()).isZero();
    }
  }

  @Test
  void blockedHandlerIsInterruptedAndOnCancelCallbacksRunFirst() {
    List<String> order = new CopyOnWriteArrayList<>();
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          ctx.onCancel(() -> order.add("callback"));
          try {
            Thread.sleep(Duration.ofMinutes(5));
          } catch (InterruptedException e) {
            order.add("interrupted");
            throw e;
          }
          return null;
        }).build())
        .build()) {
      long id = errand.submit("q", null);
      Await.status(errand, id, TaskStatus.RUNNING);
      await().until(() -> !order.isEmpty() || errand.metrics("q").running() == 1);

      errand.cancel(id, "stop it");
      TaskInfo info = Await.finished(errand, id);

      assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(order).containsExactly("callback", "interrupted");
    }
  }

  @Test
  void stuckHandlerIsAbandonedAfterGraceItsSlotFreedAndLateResultDiscarded() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    Gate stuck = new Gate();
    CountDownLatch stuckStarted = new CountDownLatch(1);
    AtomicInteger othersRan = new AtomicInteger();
    try (Errand errand = Errand.builder().clock(clock)
        .queue(QueueSpec.builder("q", String.class, ctx -> {
          if (ctx.args().equals("stuck")) {
            stuckStarted.countDown();
            stuck.passIgnoringInterrupts();
            return "late result";
          }
          othersRan.incrementAndGet();
          return "ok";
        }).workers(1).cancelGrace(Duration.ofSeconds(5)).build())
        .build()) {
      long id = errand.submit("q", "stuck");
      // Its handler runs, not only its claim: the grace starts when the handler is asked to
      // stop, and a task claimed but not yet started is asked only as it starts, so after the
      // clock moved below.
      await().until(() -> stuckStarted.getCount() == 0);

      assertThat(errand.cancel(id, "operator")).isInstanceOf(CancelResult.Stopping.class);
      assertThat(errand.get(id).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
      clock.advance(Duration.ofSeconds(5));
      TaskInfo info = Await.finished(errand, id);

      assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(info.message()).contains("operator").contains("did not stop within 5s");
      assertThat(errand.metrics("q").abandoned()).isEqualTo(1);

      long next = errand.submit("q", "next"); // the only worker slot is free again
      assertThat(Await.finished(errand, next).status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(othersRan).hasValue(1);

      stuck.open(); // the straggler returns; its result must not overwrite anything
      await().until(() -> errand.metrics("q").running() == 0);
      assertThat(errand.get(id).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(errand.get(id).orElseThrow().response()).isNull();
    }
  }

  @Test
  void aCancelBetweenClaimAndStartStopsTheTaskWithItsReason() {
    AtomicReference<Errand> engine = new AtomicReference<>();
    AtomicReference<CancelResult> cancel = new AtomicReference<>();
    // The cancel lands after the store marked the task RUNNING but before its worker published
    // the attempt: the claimed record holds no reason, the store does.
    TaskStore store = HookedStore.of(new MemoryStore(), (method, result) -> {
      TaskRecord claimed = HookedStore.claimed(method, result);
      if (claimed != null && cancel.get() == null) {
        cancel.set(engine.get().cancel(claimed.id(), "user asked"));
      }
    });
    try (Errand errand = Errand.builder().store(store)
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          ctx.checkpoint();
          return "ran";
        }).build())
        .build()) {
      engine.set(errand);
      long id = errand.submit("q", null);
      TaskInfo info = Await.finished(errand, id);

      assertThat(cancel.get()).isEqualTo(new CancelResult.Stopping(id));
      assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(info.cancelReason()).isEqualTo("user asked");
    }
  }

  @Test
  void aTaskCancelledBetweenClaimAndStartIsNotChargedTheAttempt() {
    AtomicReference<Errand> engine = new AtomicReference<>();
    AtomicInteger claims = new AtomicInteger();
    AtomicInteger handlerRuns = new AtomicInteger();
    // The first attempt fails; the second is claimed, then cancelled before its handler starts.
    TaskStore store = HookedStore.of(new MemoryStore(), (method, result) -> {
      TaskRecord claimed = HookedStore.claimed(method, result);
      if (claimed != null && claims.incrementAndGet() == 2) {
        engine.get().cancel(claimed.id(), "user asked");
      }
    });
    try (Errand errand = Errand.builder().store(store)
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          handlerRuns.incrementAndGet();
          throw new IllegalStateException("first attempt fails");
        }).attempts(3).backoff(Backoff.fixed(Duration.ZERO)).build())
        .build()) {
      engine.set(errand);
      long id = errand.submit("q", null);
      TaskInfo info = Await.finished(errand, id);

      assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(handlerRuns).hasValue(1);
      assertThat(info.attempt()).isEqualTo(1); // the one that ran, not the one never started
      assertThat(info.errors()).extracting(TaskError::attempt).containsExactly(1);
    }
  }

  @Test
  void cancelIsIdempotentAndSaysWhatHappened() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> "done").build())
        .build()) {
      long id = errand.submit("q", null);
      Await.finished(errand, id);

      assertThat(errand.cancel(id, "late"))
          .isEqualTo(new CancelResult.AlreadyFinished(id, TaskStatus.SUCCESS));
      assertThat(errand.cancel(id, "again"))
          .isEqualTo(new CancelResult.AlreadyFinished(id, TaskStatus.SUCCESS));
      assertThat(errand.cancel(987_654, "who")).isEqualTo(new CancelResult.Unknown(987_654));
      assertThat(errand.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
    }
  }

  @Test
  void cancellingARunningTaskTwiceStopsItOnce() {
    AtomicInteger callbacks = new AtomicInteger();
    CountDownLatch registered = new CountDownLatch(1);
    List<EventType> events = new CopyOnWriteArrayList<>();
    try (Errand errand = Errand.builder()
        .listener("recorder", e -> events.add(e.type()))
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          ctx.onCancel(callbacks::incrementAndGet);
          registered.countDown();
          Thread.sleep(Duration.ofMinutes(5));
          return null;
        }).build())
        .build()) {
      long id = errand.submit("q", null);
      // RUNNING is not enough: the store marks the claim RUNNING before the worker calls the
      // handler, and a cancel in between spares the handler (no callback to run at all).
      await().until(() -> registered.getCount() == 0);

      assertThat(errand.cancel(id, "one")).isInstanceOf(CancelResult.Stopping.class);
      CancelResult second = errand.cancel(id, "two");
      assertThat(second).isIn(new CancelResult.Stopping(id),
          new CancelResult.AlreadyFinished(id, TaskStatus.CANCELLED));
      TaskInfo info = Await.finished(errand, id);

      assertThat(info.cancelReason()).isEqualTo("one");
      assertThat(callbacks).hasValue(1);
      await().until(() -> events.contains(EventType.CANCELLED));
      assertThat(events.stream().filter(t -> t == EventType.CANCELLED)).hasSize(1);
    }
  }

  @Test
  void anOnCancelRegisteredAfterTheCancelRunsAtOnce() {
    Gate cancelled = new Gate();
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger callbacks = new AtomicInteger();
    AtomicReference<Thread> callbackThread = new AtomicReference<>();
    AtomicReference<Thread> handlerThread = new AtomicReference<>();
    AtomicInteger seenRightAfterRegistering = new AtomicInteger(-1);
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          handlerThread.set(Thread.currentThread());
          started.countDown();
          cancelled.passIgnoringInterrupts(); // registers only once the cancel was asked
          ctx.onCancel(() -> {
            callbackThread.set(Thread.currentThread());
            callbacks.incrementAndGet();
          });
          seenRightAfterRegistering.set(callbacks.get());
          ctx.checkpoint();
          return "not stopped";
        }).build())
        .build()) {
      long id = errand.submit("q", null);
      await().until(() -> started.getCount() == 0);

      assertThat(errand.cancel(id, "early")).isEqualTo(new CancelResult.Stopping(id));
      cancelled.open();
      TaskInfo info = Await.finished(errand, id);

      assertThat(seenRightAfterRegistering).as("the callback ran before onCancel returned")
          .hasValue(1);
      assertThat(callbackThread.get()).as("run by the registering thread")
          .isSameAs(handlerThread.get());
      assertThat(callbacks).hasValue(1);
      assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(info.cancelReason()).isEqualTo("early");
    }
  }

  @Test
  void deletingARunningTaskCancelsItThenForgetsIt() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          Thread.sleep(Duration.ofMinutes(5));
          return null;
        }).build())
        .build()) {
      long id = errand.submit("q", null);
      Await.status(errand, id, TaskStatus.RUNNING);

      assertThat(errand.delete(id)).isTrue();

      await().until(() -> errand.get(id).isEmpty());
      assertThat(errand.metrics("q").cancelled()).isEqualTo(1);
      assertThat(errand.delete(id)).isFalse();
    }
  }
}
