package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.ShutdownReport;
import io.errand.api.ShuttingDownException;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.memory.MemoryStore;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Seed 003's graceful shutdown: stop accepting, signal, drain, cancel the rest, report. */
class ShutdownTest {

  @Test
  void runningTasksThatFinishWithinTheGraceAreDrained() throws Exception {
    Gate gate = new Gate();
    Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          gate.pass();
          return "done";
        }).workers(3).build())
        .build();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(errand.submit("q", null));
    }
    await().until(() -> errand.metrics("q").running() == 3);

    CompletableFuture<ShutdownReport> report =
        CompletableFuture.supplyAsync(() -> errand.shutdown(Duration.ofSeconds(20)));
    await().until(errand::isShuttingDown);
    gate.open();
    ShutdownReport r = report.get(30, TimeUnit.SECONDS);

    assertThat(r.succeeded()).isEqualTo(3);
    assertThat(r.cancelled()).isZero();
    assertThat(r.abandoned()).isZero();
    for (long id : ids) {
      assertThat(errand.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
    }
  }

  @Test
  void whatIsLeftAfterTheGraceIsCancelledAndTheHandlerSeesTheSignal() {
    AtomicBoolean sawShutdown = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          started.countDown();
          try {
            Thread.sleep(Duration.ofMinutes(5));
          } finally {
            sawShutdown.set(ctx.shuttingDown());
          }
          return null;
        }).build())
        .build();
    long running = errand.submit("q", null);
    long neverStarted = errand.submit("q", null);
    awaitStarted(started);

    ShutdownReport r = errand.shutdown(Duration.ofMillis(100));

    TaskInfo stopped = errand.get(running).orElseThrow();
    assertThat(stopped.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(stopped.cancelReason()).contains("shut down");
    assertThat(errand.get(neverStarted).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(sawShutdown).isTrue();
    assertThat(r.cancelled()).isEqualTo(2);
    assertThat(r.abandoned()).isZero();
    assertThat(r.toString()).contains("2 cancelled");
  }

  @Test
  void aHandlerThatIgnoresTheCancelIsAbandonedAndShutdownStillEnds() {
    Gate never = new Gate();
    CountDownLatch started = new CountDownLatch(1);
    Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          started.countDown();
          never.passIgnoringInterrupts();
          return null;
        }).cancelGrace(Duration.ofMillis(200)).build())
        .build();
    long id = errand.submit("q", null);
    awaitStarted(started);

    ShutdownReport r = errand.shutdown(Duration.ofMillis(100));

    assertThat(r.abandoned()).isEqualTo(1);
    assertThat(r.cancelled()).isEqualTo(1);
    assertThat(errand.get(id).orElseThrow().message()).contains("did not stop within 200ms");
    never.open();
  }

  @Test
  void submitsAreRefusedOnceShutdownBeganAndAwaitersOfWaitingTasksReturn() throws Exception {
    Gate gate = new Gate();
    CountDownLatch started = new CountDownLatch(1);
    Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          started.countDown();
          gate.pass();
          return null;
        }).build())
        .build();
    long running = errand.submit("q", null);
    long waiting = errand.submit("q", null);
    CompletableFuture<TaskInfo> waiter = errand.await(waiting);
    awaitStarted(started);

    CompletableFuture<ShutdownReport> report =
        CompletableFuture.supplyAsync(() -> errand.shutdown(Duration.ofSeconds(20)));
    await().until(errand::isShuttingDown);

    assertThatThrownBy(() -> errand.submit("q", null))
        .isInstanceOf(ShuttingDownException.class)
        .hasMessageContaining("shutting down")
        .satisfies(e -> assertThat(((ShuttingDownException) e).code()).isEqualTo("shutting_down"));
    gate.open();
    ShutdownReport r = report.get(30, TimeUnit.SECONDS);

    assertThat(r.succeeded()).isEqualTo(1);
    assertThat(r.cancelled()).isEqualTo(1);
    assertThat(waiter.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(errand.shutdown(Duration.ZERO)).isSameAs(r); // idempotent
  }

  @Test
  void aTaskClaimedAsShutdownBeginsIsGivenBackAndCancelledUnstarted() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    AtomicReference<Errand> engine = new AtomicReference<>();
    AtomicReference<CompletableFuture<ShutdownReport>> report = new AtomicReference<>();
    TaskStore store = HookedStore.of(new MemoryStore(), (method, result) -> {
      if (HookedStore.claimed(method, result) != null && report.get() == null) {
        report.set(shutDownNow(engine.get())); // between the claim and the handler's start
      }
    });
    Errand errand = Errand.builder().store(store)
        .queue(QueueSpec.builder("q", Object.class, ctx -> ran.incrementAndGet()).build())
        .build();
    engine.set(errand);
    long id = errand.submit("q", null);

    TaskInfo info = endedUnstarted(errand, id, report, ran);
    assertThat(info.attempt()).isZero(); // given back uncharged
  }

  @Test
  void aShutdownThatBeginsAfterTheWorkersLastCheckStillSparesTheHandler() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    AtomicReference<Errand> engine = new AtomicReference<>();
    AtomicReference<Thread> armed = new AtomicReference<>();
    AtomicReference<CompletableFuture<ShutdownReport>> report = new AtomicReference<>();
    // The claim arms the worker's thread; its next clock read (the first thing it does to run
    // the task, after its last "still claiming?" check) begins the shutdown.
    InstantSource clock = () -> {
      if (armed.get() == Thread.currentThread() && armed.compareAndSet(Thread.currentThread(),
          null)) {
        report.set(shutDownNow(engine.get()));
      }
      return Instant.now();
    };
    TaskStore store = HookedStore.of(new MemoryStore(), (method, result) -> {
      if (HookedStore.claimed(method, result) != null && report.get() == null) {
        armed.set(Thread.currentThread());
      }
    });
    Errand errand = Errand.builder().store(store).clock(clock)
        .queue(QueueSpec.builder("q", Object.class, ctx -> ran.incrementAndGet()).build())
        .build();
    engine.set(errand);
    long id = errand.submit("q", null);

    endedUnstarted(errand, id, report, ran);
  }

  @Test
  void aCancelOfATaskThatIsGivenBackAtShutdownEndsIt() throws Exception {
    AtomicReference<Errand> engine = new AtomicReference<>();
    AtomicReference<CompletableFuture<TaskInfo>> waiter = new AtomicReference<>();
    AtomicReference<CompletableFuture<ShutdownReport>> report = new AtomicReference<>();
    TaskStore store = HookedStore.of(new MemoryStore(), (method, result) -> {
      TaskRecord claimed = HookedStore.claimed(method, result);
      if (claimed != null && report.get() == null) {
        waiter.set(engine.get().await(claimed.id()));
        engine.get().cancel(claimed.id(), "user asked");
        report.set(shutDownNow(engine.get()));
      }
    });
    Errand errand = Errand.builder().store(store)
        .queue(QueueSpec.builder("q", Object.class, ctx -> null).build())
        .build();
    engine.set(errand);
    long id = errand.submit("q", null);

    await().until(() -> report.get() != null);
    ShutdownReport r = report.get().get(30, TimeUnit.SECONDS);

    // the give-back found the cancel: the task ended then, and its awaiter and the report know
    TaskInfo info = waiter.get().get(10, TimeUnit.SECONDS);
    assertThat(info.id()).isEqualTo(id);
    assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(info.cancelReason()).isEqualTo("user asked");
    assertThat(r.cancelled()).isEqualTo(1);
  }

  /**
   * Waits for the shutdown a hook began, then checks that task {@code id} ended CANCELLED
   * without its handler running, and that the shutdown counted it.
   */
  private static TaskInfo endedUnstarted(Errand errand, long id,
      AtomicReference<CompletableFuture<ShutdownReport>> report, AtomicInteger ran)
      throws Exception {
    await().until(() -> report.get() != null);
    ShutdownReport r = report.get().get(30, TimeUnit.SECONDS);
    TaskInfo info = Await.finished(errand, id);
    assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(info.cancelReason()).contains("before the task started");
    assertThat(ran).hasValue(0);
    assertThat(r.cancelled()).isEqualTo(1);
    return info;
  }

  /** Begins a shutdown on another thread and returns once it has begun. */
  private static CompletableFuture<ShutdownReport> shutDownNow(Errand errand) {
    CompletableFuture<ShutdownReport> report =
        CompletableFuture.supplyAsync(() -> errand.shutdown(Duration.ofSeconds(5)));
    await().until(errand::isShuttingDown);
    return report;
  }

  @Test
  void stopAcceptingRefusesSubmitsAtOnceWhileRunningTasksGoOn() throws Exception {
    Gate gate = new Gate();
    CountDownLatch started = new CountDownLatch(1);
    Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          started.countDown();
          gate.pass();
          return "done";
        }).build())
        .build();
    long running = errand.submit("q", null);
    awaitStarted(started);

    errand.stopAccepting();

    assertThat(errand.isShuttingDown()).isTrue();
    assertThatThrownBy(() -> errand.submit("q", null))
        .isInstanceOf(ShuttingDownException.class);
    gate.open();
    // The running task ends on its own, before any shutdown begins: refusing submits stops
    // nothing that runs.
    await().until(() -> errand.get(running).orElseThrow().status() == TaskStatus.SUCCESS);
    ShutdownReport r = errand.shutdown(Duration.ofSeconds(20));
    assertThat(r.cancelled() + r.requeued() + r.abandoned()).isZero();
    errand.stopAccepting(); // after the stop: harmless, and the stop stays a stop
    assertThat(errand.isShuttingDown()).isTrue();
  }

  /**
   * A grace longer than any {@link Duration} in nanoseconds (as a caller who means "as long as
   * it takes" may pass) waits like the longest grace the builder takes, 100 years: the running
   * task finishes and is drained, nothing overflows.
   */
  @Test
  void anEnormousGraceWaitsForTheRunningTasksInsteadOfOverflowing() throws Exception {
    Gate gate = new Gate();
    CountDownLatch started = new CountDownLatch(1);
    Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> {
          started.countDown();
          gate.pass();
          return "done";
        }).build())
        .build();
    long running = errand.submit("q", null);
    awaitStarted(started);

    CompletableFuture<ShutdownReport> report = CompletableFuture.supplyAsync(
        () -> errand.shutdown(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
    await().until(errand::isShuttingDown);
    gate.open();
    ShutdownReport r = report.get(30, TimeUnit.SECONDS);

    assertThat(r.succeeded()).isEqualTo(1);
    assertThat(r.cancelled()).isZero();
    assertThat(errand.get(running).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
  }

  @Test
  void aNullGraceIsRefusedBeforeAnythingStops() {
    Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> "done").build())
        .build();

    assertThatThrownBy(() -> errand.shutdown(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("grace");

    assertThat(errand.isShuttingDown()).isFalse();
    long id = errand.submit("q", null);
    await().until(() -> errand.get(id).orElseThrow().status() == TaskStatus.SUCCESS);
    assertThat(errand.shutdown(Duration.ofSeconds(-1)).succeeded()).isZero();
  }

  /**
   * Waits until a handler runs. A task's status is RUNNING from its claim, a moment before its
   * handler starts, and a task claimed but not started when shutdown begins is given back.
   */
  private static void awaitStarted(CountDownLatch started) {
    await().until(() -> started.getCount() == 0);
  }
}
