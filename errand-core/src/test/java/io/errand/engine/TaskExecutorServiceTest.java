package io.errand.engine;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.InvalidSpecException;
import io.errand.api.QueueMetrics;
import io.errand.api.QueueSpec;
import io.errand.api.TaskError;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.api.UnknownQueueException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code errand.executor(queue)} against the documented contract of
 * {@link java.util.concurrent.ExecutorService} and {@link Future}, on real worker threads.
 */
class TaskExecutorServiceTest {
  private static final String Q = "exec";
  private static final long WAIT = 10; // seconds: the bound of every blocking wait below

  private Errand errand;
  private final List<CountDownLatch> gates = new ArrayList<>();

  @AfterEach
  void tearDown() {
    gates.forEach(CountDownLatch::countDown); // nothing stays blocked past its test
    if (errand != null) {
      errand.shutdown(Duration.ofSeconds(5));
    }
  }

  private ExecutorService start(UnaryOperator<QueueSpec.Builder<Callable<?>, Object>> spec) {
    errand = Errand.builder()
        .queue(spec.apply(QueueSpec.forExecutor(Q)).build())
        .shutdownGrace(Duration.ofSeconds(5))
        .build();
    return errand.executor(Q);
  }

  private CountDownLatch gate() {
    CountDownLatch g = new CountDownLatch(1);
    gates.add(g);
    return g;
  }

  /** A callable that says it started, then blocks until released (or interrupted). */
  private final class Blocker implements Callable<String> {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    final CountDownLatch release = gate();
    final String value;

    Blocker(String value) {
      this.value = value;
    }

    @Override
    public String call() throws InterruptedException {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return value;
    }

    void awaitStarted() throws InterruptedException {
      assertThat(started.await(WAIT, SECONDS)).as("blocker started").isTrue();
    }

    boolean wasInterrupted() throws InterruptedException {
      return interrupted.await(WAIT, SECONDS);
    }
  }

  /** The tasks of the executor's queue, oldest first. */
  private List<TaskInfo> tasks() {
    List<TaskInfo> newestFirst = errand.list(TaskQuery.newest(100).inQueue(Q)).items();
    List<TaskInfo> oldestFirst = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  private TaskInfo task(long id) {
    return errand.get(id).orElseThrow();
  }

  private TaskInfo finished(long id) throws Exception {
    return errand.await(id).get(WAIT, SECONDS);
  }

  private void awaitAllFinished() {
    await().atMost(WAIT, SECONDS).until(() -> tasks().stream().allMatch(TaskInfo::isFinished));
  }

  // ---- submit and execute ----

  @Test
  void submitCallableYieldsItsValue() throws Exception {
    ExecutorService ex = start(s -> s);
    Future<Integer> f = ex.submit(() -> 6 * 7);
    assertThat(f.get(WAIT, SECONDS)).isEqualTo(42);
    assertThat(f.isDone()).isTrue();
    assertThat(f.isCancelled()).isFalse();
  }

  @Test
  void submitRunnableYieldsNullAfterRunningIt() throws Exception {
    ExecutorService ex = start(s -> s);
    AtomicInteger runs = new AtomicInteger();
    Future<?> f = ex.submit(() -> {
      runs.incrementAndGet(); // a block, so a Runnable, not a Callable<Integer>
    });
    assertThat(f.get(WAIT, SECONDS)).isNull();
    assertThat(runs).hasValue(1);
  }

  @Test
  void submitRunnableWithValueYieldsThatValue() throws Exception {
    ExecutorService ex = start(s -> s);
    AtomicInteger runs = new AtomicInteger();
    Future<String> f = ex.submit(runs::incrementAndGet, "done");
    assertThat(f.get(WAIT, SECONDS)).isEqualTo("done");
    assertThat(runs).hasValue(1);
  }

  @Test
  void executeRunsTheRunnableOnAWorker() throws Exception {
    ExecutorService ex = start(s -> s);
    CountDownLatch ran = new CountDownLatch(1);
    List<String> threads = new CopyOnWriteArrayList<>();
    ex.execute(() -> {
      threads.add(Thread.currentThread().getName());
      ran.countDown();
    });
    assertThat(ran.await(WAIT, SECONDS)).isTrue();
    assertThat(threads).singleElement().asString().startsWith("errand-" + Q + "-");
    awaitAllFinished();
    assertThat(tasks()).singleElement().extracting(TaskInfo::status).isEqualTo(TaskStatus.SUCCESS);
  }

  @Test
  void nullTasksAreRefused() {
    ExecutorService ex = start(s -> s);
    assertThatThrownBy(() -> ex.execute(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ex.submit((Callable<?>) null))
        .isInstanceOf(NullPointerException.class);
    assertThat(tasks()).isEmpty();
  }

  // ---- failures and retries ----

  @Test
  void aThrownExceptionIsTheCauseOfTheExecutionException() throws Exception {
    ExecutorService ex = start(s -> s);
    IOException boom = new IOException("boom");
    Future<Object> f = ex.submit(() -> {
      throw boom;
    });
    assertThatThrownBy(() -> f.get(WAIT, SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isSameAs(boom);
    assertThat(f.isDone()).isTrue();
    assertThat(f.isCancelled()).isFalse();
    TaskInfo t = tasks().get(0);
    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.lastError()).map(TaskError::type).contains(IOException.class.getName());
  }

  @Test
  void aCallableThrowingCancellationExceptionFailsButIsNotCancelled() throws Exception {
    // FutureTask's rule: only cancel() cancels; an exception the callable throws is its failure.
    ExecutorService ex = start(s -> s);
    CancellationException thrown = new CancellationException("from inside the callable");
    Future<Object> f = ex.submit(() -> {
      throw thrown;
    });
    assertThatThrownBy(() -> f.get(WAIT, SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isSameAs(thrown);
    assertThat(f.isCancelled()).isFalse();
  }

  @Test
  void aCallableFailingTwiceThenSucceedingYieldsItsResultOnAttemptThree() throws Exception {
    ExecutorService ex = start(s -> s.attempts(3).backoff(Backoff.fixed(Duration.ZERO)));
    AtomicInteger calls = new AtomicInteger();
    Future<String> f = ex.submit(() -> {
      int n = calls.incrementAndGet();
      if (n < 3) {
        throw new IllegalStateException("failure " + n);
      }
      return "third time lucky";
    });
    assertThat(f.get(WAIT, SECONDS)).isEqualTo("third time lucky");
    TaskInfo t = tasks().get(0);
    assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(t.attempt()).isEqualTo(3);
    assertThat(t.errors()).extracting(TaskError::message).containsExactly("failure 1", "failure 2");
    assertThat(calls).hasValue(3);
  }

  @Test
  void whenEveryAttemptFailsTheCauseIsWhatTheLastAttemptThrew() throws Exception {
    ExecutorService ex = start(s -> s.attempts(3).backoff(Backoff.fixed(Duration.ZERO)));
    List<Exception> thrown = new CopyOnWriteArrayList<>();
    Future<Object> f = ex.submit(() -> {
      Exception e = new IllegalStateException("failure " + (thrown.size() + 1));
      thrown.add(e);
      throw e;
    });
    assertThatThrownBy(() -> f.get(WAIT, SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isSameAs(thrown.get(2));
    assertThat(tasks().get(0).attempt()).isEqualTo(3);
  }

  // ---- a real Errand task ----

  @Test
  void eachSubmissionIsAnErrandTaskWithStatusAndMetrics() throws Exception {
    ExecutorService ex = start(s -> s.workers(1));
    List<TaskEvent> events = new CopyOnWriteArrayList<>();
    errand.listen("test", events::add);
    Blocker first = new Blocker("first");
    Future<String> f1 = ex.submit(first);
    first.awaitStarted();
    Future<String> f2 = ex.submit(() -> "second");

    List<TaskInfo> both = tasks();
    assertThat(both).hasSize(2);
    long id1 = both.get(0).id();
    long id2 = both.get(1).id();
    assertThat(task(id1).status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(task(id2).status()).isEqualTo(TaskStatus.WAITING);
    assertThat(task(id2).args()).isInstanceOf(Callable.class);
    QueueMetrics busy = errand.metrics(Q);
    assertThat(busy.running()).isEqualTo(1);
    assertThat(busy.waiting()).isEqualTo(1);

    first.release.countDown();
    assertThat(f1.get(WAIT, SECONDS)).isEqualTo("first");
    assertThat(f2.get(WAIT, SECONDS)).isEqualTo("second");
    assertThat(task(id1).status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(task(id1).response()).isEqualTo("first");
    assertThat(task(id2).status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(task(id2).attempt()).isEqualTo(1);
    QueueMetrics done = errand.metrics(Q);
    assertThat(done.succeeded()).isEqualTo(2);
    assertThat(done.running()).isZero();
    assertThat(done.waiting()).isZero();

    await().atMost(WAIT, SECONDS).until(() -> events.stream()
        .anyMatch(e -> e.taskId() == id2 && e.type() == EventType.SUCCEEDED));
    assertThat(events).filteredOn(e -> e.taskId() == id2).extracting(TaskEvent::type)
        .containsExactly(EventType.ADDED, EventType.STARTED, EventType.SUCCEEDED);
  }

  // ---- cancel ----

  @Test
  void cancelTrueInterruptsARunningCallableAndCancelsItsTask() throws Exception {
    ExecutorService ex = start(s -> s);
    Blocker b = new Blocker("never");
    Future<String> f = ex.submit(b);
    b.awaitStarted();

    assertThat(f.cancel(true)).isTrue();
    assertThat(b.wasInterrupted()).isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThat(f.isDone()).isTrue();
    assertThatThrownBy(() -> f.get(WAIT, SECONDS)).isInstanceOf(CancellationException.class);
    assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
    assertThat(finished(tasks().get(0).id()).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(f.cancel(true)).as("a second cancel").isFalse();
  }

  @Test
  void cancelFalseLetsARunningCallableFinishUninterrupted() throws Exception {
    // Future.cancel(false): "in-progress tasks are allowed to complete".
    ExecutorService ex = start(s -> s);
    Blocker b = new Blocker("finished anyway");
    Future<String> f = ex.submit(b);
    b.awaitStarted();

    assertThat(f.cancel(false)).isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThatThrownBy(() -> f.get(WAIT, SECONDS)).isInstanceOf(CancellationException.class);
    b.release.countDown();
    TaskInfo t = finished(tasks().get(0).id());
    assertThat(b.interrupted.getCount()).as("interrupts").isEqualTo(1);
    assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(f.isCancelled()).isTrue();
  }

  @Test
  void cancelFalseStopsFurtherAttempts() throws Exception {
    ExecutorService ex = start(s -> s.attempts(3).backoff(Backoff.fixed(Duration.ZERO)));
    Blocker b = new Blocker("unused");
    AtomicInteger calls = new AtomicInteger();
    Future<String> f = ex.submit(() -> {
      calls.incrementAndGet();
      b.call();
      throw new IllegalStateException("fails after its release");
    });
    b.awaitStarted();
    assertThat(f.cancel(false)).isTrue();
    b.release.countDown();
    TaskInfo t = finished(tasks().get(0).id());
    assertThat(calls).as("calls of the callable").hasValue(1);
    assertThat(t.status()).isEqualTo(TaskStatus.CANCELLED);
  }

  @Test
  void aWaitingTaskCancelledNeverRuns() throws Exception {
    ExecutorService ex = start(s -> s.workers(1));
    Blocker first = new Blocker("first");
    Future<String> f1 = ex.submit(first);
    first.awaitStarted();
    AtomicInteger ran = new AtomicInteger();
    Future<?> f2 = ex.submit(ran::incrementAndGet);
    long id2 = tasks().get(1).id();

    assertThat(f2.cancel(false)).isTrue();
    assertThat(f2.isCancelled()).isTrue();
    assertThat(task(id2).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThatThrownBy(() -> f2.get(WAIT, SECONDS)).isInstanceOf(CancellationException.class);

    first.release.countDown();
    assertThat(f1.get(WAIT, SECONDS)).isEqualTo("first");
    // The one worker takes tasks in order: once a later one ran, the cancelled one had its turn.
    assertThat(ex.submit(() -> "later").get(WAIT, SECONDS)).isEqualTo("later");
    assertThat(ran).hasValue(0);
    assertThat(task(id2).attempt()).isZero();
  }

  @Test
  void cancelAfterCompletionDoesNothing() throws Exception {
    ExecutorService ex = start(s -> s);
    Future<String> f = ex.submit(() -> "value");
    assertThat(f.get(WAIT, SECONDS)).isEqualTo("value");
    assertThat(f.cancel(true)).isFalse();
    assertThat(f.isCancelled()).isFalse();
    assertThat(f.get()).isEqualTo("value");
  }

  // ---- invokeAll, invokeAny ----

  @Test
  void invokeAllReturnsEveryResultInOrder() throws Exception {
    ExecutorService ex = start(s -> s.workers(2));
    CountDownLatch thirdRan = gate();
    List<Callable<Integer>> calls = List.of(
        () -> {
          thirdRan.await(); // finishes last
          return 1;
        },
        () -> 2,
        () -> {
          thirdRan.countDown();
          return 3;
        });
    List<Future<Integer>> fs = ex.invokeAll(calls);
    assertThat(fs).allMatch(Future::isDone);
    List<Integer> values = new ArrayList<>();
    for (Future<Integer> f : fs) {
      values.add(f.get());
    }
    assertThat(values).containsExactly(1, 2, 3);
    assertThat(tasks()).hasSize(3);
  }

  @Test
  void invokeAllWithTimeoutCancelsWhatIsNotDone() throws Exception {
    ExecutorService ex = start(s -> s.workers(1));
    Blocker blocked = new Blocker("blocked");
    // Blocks too: invokeAll cancels in order, and stopping the second frees the one worker,
    // which may start the third before its cancel comes; it must not complete meanwhile.
    Blocker third = new Blocker("third");
    List<Callable<String>> calls = List.of(() -> "fast", blocked, third);
    List<Future<String>> fs = ex.invokeAll(calls, 1500, MILLISECONDS);

    assertThat(fs).allMatch(Future::isDone);
    assertThat(fs.get(0).get()).isEqualTo("fast");
    assertThat(fs.get(1).isCancelled()).isTrue();
    assertThat(fs.get(2).isCancelled()).isTrue();
    assertThat(blocked.wasInterrupted()).isTrue();
    awaitAllFinished();
    assertThat(tasks()).extracting(TaskInfo::status)
        .containsExactly(TaskStatus.SUCCESS, TaskStatus.CANCELLED, TaskStatus.CANCELLED);
    if (third.started.getCount() == 0) {
      assertThat(third.wasInterrupted()).as("third, started before its cancel").isTrue();
    }
  }

  @Test
  void invokeAnyReturnsASuccessAndStopsTheOthers() throws Exception {
    ExecutorService ex = start(s -> s.workers(3));
    Blocker loser = new Blocker("loser");
    List<Callable<String>> calls = List.of(
        () -> {
          throw new IllegalStateException("this one fails");
        },
        () -> {
          loser.awaitStarted(); // wins only once the loser runs, so it has something to stop
          return "winner";
        },
        loser);
    assertThat(ex.invokeAny(calls)).isEqualTo("winner");
    // "Upon normal or exceptional return, tasks that have not completed are cancelled."
    assertThat(loser.wasInterrupted()).isTrue();
    awaitAllFinished();
  }

  @Test
  void invokeAnyWhenAllFailThrowsExecutionException() {
    ExecutorService ex = start(s -> s.workers(2));
    IllegalStateException e1 = new IllegalStateException("one");
    IllegalStateException e2 = new IllegalStateException("two");
    List<Callable<String>> calls = List.of(() -> {
      throw e1;
    }, () -> {
      throw e2;
    });
    assertThatThrownBy(() -> ex.invokeAny(calls)).isInstanceOf(ExecutionException.class)
        .satisfies(e -> assertThat(e.getCause()).isIn(e1, e2));
  }

  // ---- shutdown, shutdownNow ----

  @Test
  void shutdownRefusesNewTasksAndRunsTheAcceptedOnes() throws Exception {
    ExecutorService ex = start(s -> s.workers(1));
    Blocker running = new Blocker("running");
    Future<String> f1 = ex.submit(running);
    running.awaitStarted();
    Future<String> f2 = ex.submit(() -> "accepted");

    ex.shutdown();
    assertThat(ex.isShutdown()).isTrue();
    assertThatThrownBy(() -> ex.submit(() -> "late")).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> ex.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    assertThat(tasks()).hasSize(2);
    assertThat(ex.isTerminated()).isFalse();
    assertThat(ex.awaitTermination(100, MILLISECONDS)).isFalse();

    running.release.countDown();
    assertThat(ex.awaitTermination(WAIT, SECONDS)).isTrue();
    assertThat(ex.isTerminated()).isTrue();
    assertThat(f1.get()).isEqualTo("running");
    assertThat(f2.get()).isEqualTo("accepted");
    ex.shutdown(); // idempotent
    assertThat(ex.isTerminated()).isTrue();
  }

  @Test
  void awaitTerminationBeforeShutdownTimesOut() throws Exception {
    ExecutorService ex = start(s -> s);
    assertThat(ex.submit(() -> "x").get(WAIT, SECONDS)).isEqualTo("x");
    assertThat(ex.awaitTermination(50, MILLISECONDS)).isFalse();
    assertThat(ex.isTerminated()).isFalse();
    ex.shutdown();
    assertThat(ex.awaitTermination(WAIT, SECONDS)).isTrue();
  }

  @Test
  void shutdownNowReturnsTheNeverStartedAndInterruptsTheRunning() throws Exception {
    ExecutorService ex = start(s -> s.workers(1));
    Blocker running = new Blocker("running");
    Future<String> f1 = ex.submit(running);
    running.awaitStarted();
    AtomicInteger ran = new AtomicInteger();
    Runnable r2 = ran::incrementAndGet;
    ex.execute(r2);
    Future<Integer> f3 = ex.submit(ran::incrementAndGet);

    List<Runnable> neverStarted = ex.shutdownNow();
    assertThat(neverStarted).containsExactly(r2, (Runnable) f3);
    assertThat(ex.isShutdown()).isTrue();
    assertThat(running.wasInterrupted()).isTrue();
    assertThat(ex.awaitTermination(WAIT, SECONDS)).isTrue();
    assertThat(ex.isTerminated()).isTrue();
    assertThatThrownBy(() -> f1.get(WAIT, SECONDS)).isInstanceOf(CancellationException.class);
    assertThatThrownBy(() -> f3.get(WAIT, SECONDS)).isInstanceOf(CancellationException.class);
    assertThat(ran).hasValue(0);
    assertThat(tasks()).extracting(TaskInfo::status).containsOnly(TaskStatus.CANCELLED);
    assertThatThrownBy(() -> ex.submit(() -> "late")).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void shutdownNowDoesNotListATaskWaitingToRetry() throws Exception {
    // It ran once already: it is not one that "never commenced execution".
    ExecutorService ex = start(s -> s.attempts(2).backoff(Backoff.fixed(Duration.ofHours(1))));
    Future<Object> f = ex.submit(() -> {
      throw new IllegalStateException("retry me later");
    });
    await().atMost(WAIT, SECONDS).until(() -> {
      TaskInfo t = tasks().get(0);
      return t.status() == TaskStatus.WAITING && t.attempt() == 1;
    });
    assertThat(ex.shutdownNow()).isEmpty();
    assertThat(ex.awaitTermination(WAIT, SECONDS)).isTrue();
    assertThatThrownBy(() -> f.get(WAIT, SECONDS)).isInstanceOf(CancellationException.class);
  }

  // ---- the queue's settings ----

  @Test
  void theQueueTimeOutAppliesToExecutorTasks() throws Exception {
    ExecutorService ex = start(s -> s.timeout(Duration.ofMillis(200)));
    Blocker b = new Blocker("too slow");
    Future<String> f = ex.submit(b);
    assertThatThrownBy(() -> f.get(WAIT, SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("timed out");
    assertThat(b.interrupted.getCount()).as("interrupts").isZero();
    assertThat(f.isCancelled()).isFalse();
    TaskInfo t = finished(tasks().get(0).id());
    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.lastError()).map(TaskError::type).contains("timeout");
  }

  @Test
  void aQueueNotDeclaredForAnExecutorIsRefusedByName() {
    errand = Errand.builder()
        .queue(QueueSpec.forExecutor(Q).build())
        .queue(QueueSpec.builder("plain", Integer.class, ctx -> ctx.args()).build())
        .build();
    assertThatThrownBy(() -> errand.executor("plain")).isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("'plain'");
    assertThatThrownBy(() -> errand.executor("nosuch")).isInstanceOf(UnknownQueueException.class);
    assertThat(errand.executor(Q)).isSameAs(errand.executor(Q));
  }

  // ---- Errand's own shutdown ----

  @Test
  void errandShutdownCompletesEveryFutureAndTerminatesTheExecutor() throws Exception {
    ExecutorService ex = start(s -> s.workers(1));
    Blocker running = new Blocker("running");
    Future<String> f1 = ex.submit(running);
    running.awaitStarted();
    AtomicInteger ran = new AtomicInteger();
    List<Future<?>> waiting = List.of(ex.submit(ran::incrementAndGet),
        ex.submit(ran::incrementAndGet), ex.submit(() -> "never"));
    FutureTask<Boolean> awaiter = new FutureTask<>(() -> ex.awaitTermination(WAIT, SECONDS));
    Thread.ofVirtual().start(awaiter);

    errand.shutdown(Duration.ofMillis(100));

    assertThat(running.wasInterrupted()).isTrue();
    assertThatThrownBy(() -> f1.get(WAIT, SECONDS)).isInstanceOf(CancellationException.class);
    for (Future<?> f : waiting) {
      assertThatThrownBy(() -> f.get(WAIT, SECONDS)).isInstanceOf(CancellationException.class);
    }
    assertThat(ran).hasValue(0);
    assertThat(awaiter.get(WAIT + 5, SECONDS)).as("awaitTermination of a waiting thread").isTrue();
    assertThat(ex.isShutdown()).isTrue();
    assertThat(ex.isTerminated()).isTrue();
    assertThatThrownBy(() -> ex.submit(() -> "late")).isInstanceOf(RejectedExecutionException.class);
  }
}
