package io.errand.sqlite;

import static io.errand.spi.contract.Answers.changed;
import static io.errand.spi.contract.Answers.claimed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.ManualClock;
import io.errand.api.QueueSpec;
import io.errand.api.ShutdownReport;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.contract.NewTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on a SQLite file: tasks run, survive a restart, and run again after it. */
class ErrandOnSqliteTest {
  @TempDir
  Path dir;

  private Path file() {
    return dir.resolve("errand.db");
  }

  private static QueueSpec<Integer, Integer> doubling() {
    return QueueSpec.builder("double", Integer.class, ctx -> ctx.args() * 2).workers(4).build();
  }

  private static TaskInfo finished(Errand errand, long id) {
    try {
      return errand.await(id).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("task " + id + " did not finish: " + errand.get(id), e);
    }
  }

  @Test
  void tasksRunToSuccessAndStayQueryableAfterARestart() {
    List<Long> ids = new ArrayList<>();
    try (Errand errand = Errand.builder().store(SqliteStore.at(file())).queue(doubling())
        .build()) {
      for (int i = 0; i < 50; i++) {
        ids.add(errand.submit("double", i));
      }
      for (int i = 0; i < ids.size(); i++) {
        TaskInfo info = finished(errand, ids.get(i));
        assertThat(info.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(info.result(Integer.class)).isEqualTo(2 * i);
        assertThat(info.args()).isEqualTo(i);
      }
    }

    try (Errand again = Errand.builder().store(SqliteStore.at(file())).queue(doubling())
        .build()) {
      for (int i = 0; i < ids.size(); i++) {
        TaskInfo info = again.get(ids.get(i)).orElseThrow();
        assertThat(info.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(info.result(Integer.class)).isEqualTo(2 * i);
        assertThat(info.args()).as("arguments read back as the queue's type").isEqualTo(i);
      }
    }
  }

  @Test
  void eachTasksAddedEventComesBeforeItsStartedEvent() {
    Map<Long, List<EventType>> byTask = new ConcurrentHashMap<>();
    List<Long> ids = new ArrayList<>();
    try (Errand errand = Errand.builder().store(SqliteStore.at(file())).queue(doubling())
        .listener("order", e -> byTask.computeIfAbsent(e.taskId(),
            k -> new CopyOnWriteArrayList<>()).add(e.type()))
        .build()) {
      for (int i = 0; i < 200; i++) {
        ids.add(errand.submit("double", i));
      }
      ids.forEach(id -> finished(errand, id));
      await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id ->
          byTask.getOrDefault(id, List.of()).contains(EventType.SUCCEEDED)));
    }
    for (long id : ids) {
      assertThat(byTask.get(id)).as("events of task " + id)
          .containsExactly(EventType.ADDED, EventType.STARTED, EventType.SUCCEEDED);
    }
  }

  record Order(String sku) {}

  @Test
  void aTaskWhoseStoredArgumentsNoLongerReadFailsAndItsAwaiterHearsOfIt() {
    QueueSpec<Integer, Integer> numbers = QueueSpec.builder("work", Integer.class, ctx -> 0)
        .build();
    Errand first = Errand.builder().store(SqliteStore.at(file())).queue(numbers).build();
    long id = first.submit("work", 7, SubmitOptions.delayed(Duration.ofDays(1)));
    first.shutdown(Duration.ofSeconds(5));

    // Between versions the queue's argument type changed: 7 cannot be read as an Order.
    QueueSpec<Order, String> orders = QueueSpec.builder("work", Order.class, ctx -> "shipped")
        .build();
    ManualClock twoDaysLater = new ManualClock(Instant.now().plus(Duration.ofDays(2)));
    try (Errand second = Errand.builder().store(SqliteStore.at(file())).clock(twoDaysLater)
        .queue(orders).build()) {
      TaskInfo failed = finished(second, id); // the store fails it at claim; the engine hears

      assertThat(failed.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(failed.message()).contains("cannot be read");
      // counted once the engine hears of it, which may be after the awaiter read the file
      await().untilAsserted(() -> assertThat(second.metrics("work").failed()).isEqualTo(1));
    }
  }

  @Test
  void aTaskRunningAtShutdownRunsAgainAfterTheRestart() {
    CountDownLatch started = new CountDownLatch(1);
    QueueSpec<Integer, Object> endless = QueueSpec.builder("double", Integer.class, ctx -> {
      started.countDown();
      while (true) {
        ctx.checkpoint(); // with a durable store this throws once shutdown begins
        Thread.onSpinWait();
      }
    }).workers(1).build();
    Errand first = Errand.builder().store(SqliteStore.at(file())).queue(endless).build();
    long running = first.submit("double", 1);
    long waiting = first.submit("double", 2);
    // Its handler runs, not only its claim: readers see the claim once committed, before the
    // worker has it, and a task claimed as shutdown begins is given back, not run and requeued.
    await().atMost(Duration.ofSeconds(20)).until(() -> started.getCount() == 0);

    ShutdownReport report = first.shutdown(Duration.ofSeconds(10));

    assertThat(report.requeued()).isEqualTo(1);
    try (Errand second = Errand.builder().store(SqliteStore.at(file())).queue(doubling())
        .build()) {
      TaskInfo a = finished(second, running);
      TaskInfo b = finished(second, waiting);
      assertThat(a.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(a.attempt()).as("the interrupted attempt was not charged").isEqualTo(1);
      assertThat(a.result(Integer.class)).isEqualTo(2);
      assertThat(b.result(Integer.class)).isEqualTo(4);
    }
  }

  @Test
  void aTaskLeftRunningByADeadProcessRunsAgainWithItsAttemptCounted() {
    long id;
    Stores stores = new Stores();
    try (SqliteStore store = stores.open(file())) { // a process that claimed it, then died
      id = store.tasks().insert(NewTasks.task("double").args(21).createdAt(stores.clock.instant())
          .build()).id();
      assertThat(claimed(store.tasks().claim("double", "dead-node", stores.clock.instant())).id()).isEqualTo(id);
    }

    try (Errand errand = Errand.builder().store(SqliteStore.at(file())).queue(doubling())
        .build()) {
      TaskInfo info = finished(errand, id);
      assertThat(info.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(info.result(Integer.class)).isEqualTo(42);
      assertThat(info.attempt()).as("the attempt of the dead process counts").isEqualTo(2);
    }
  }

  /** A queue paused before a restart is still paused after it: its waiting task runs only on resume. */
  @Test
  void aPausedQueueStaysPausedAcrossARestart() {
    long id;
    try (Errand errand = Errand.builder().store(SqliteStore.at(file())).queue(doubling())
        .build()) {
      errand.control("double").pause();
      id = errand.submit("double", 21);
    }
    try (Errand errand = Errand.builder().store(SqliteStore.at(file())).queue(doubling())
        .queue(QueueSpec.builder("other", Integer.class, ctx -> ctx.args()).build()).build()) {
      assertThat(errand.control("double").isPaused()).isTrue();
      finished(errand, errand.submit("other", 1)); // the workers run: the pause holds "double"
      assertThat(errand.get(id).map(TaskInfo::status)).contains(TaskStatus.WAITING);
      errand.control("double").resume();
      assertThat(finished(errand, id).result(Integer.class)).isEqualTo(42);
    }
  }

  /** A snooze is a requeue with a later run time, kept in the file: the attempt is not charged. */
  @Test
  void aSnoozedTaskRunsAgainAfterItsDelayWithItsAttemptNotCharged() {
    ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    try (Errand errand = Errand.builder().store(SqliteStore.at(file())).clock(clock)
        .queue(QueueSpec.builder("snoozy", Integer.class, ctx -> {
          if (calls.incrementAndGet() == 1) {
            ctx.snooze(Duration.ofMinutes(5));
          }
          return ctx.attempt();
        }).attempts(1).build()).build()) {
      long id = errand.submit("snoozy", 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() == 1
          && errand.get(id).orElseThrow().status() == TaskStatus.WAITING);
      TaskInfo snoozed = errand.get(id).orElseThrow();
      assertThat(snoozed.attempt()).isZero();
      assertThat(snoozed.runAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
      clock.advance(Duration.ofMinutes(5));
      TaskInfo done = finished(errand, id);
      assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(done.result(Integer.class)).isEqualTo(1);
    }
  }

  /** Twelve workers, a limit of 2 kept by the store's claims: never more than 2 in flight. */
  @Test
  void aConcurrencyLimitHoldsAcrossTwelveWorkers() {
    java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
    try (Errand errand = Errand.builder().store(SqliteStore.at(file()))
        .queue(QueueSpec.builder("limited", Integer.class, ctx -> {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          java.util.concurrent.locks.LockSupport.parkNanos(500_000);
          inFlight.decrementAndGet();
          return ctx.args();
        }).workers(12).concurrency(2).build()).build()) {
      List<Long> ids = errand.submitBatch("limited",
          java.util.stream.IntStream.range(0, 800).boxed().toList()).ids();
      ids.forEach(id -> assertThat(finished(errand, id).status()).isEqualTo(TaskStatus.SUCCESS));
    }
    assertThat(most.get()).as("most handlers in flight at once").isBetween(1, 2);
  }
}
