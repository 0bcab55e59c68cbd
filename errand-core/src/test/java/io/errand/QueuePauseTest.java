package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.QueueControl;
import io.errand.api.QueueControl.DrainReport;
import io.errand.api.QueueSpec;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.api.UnknownQueueException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pause, resume and drain of a queue through the Errand API, on the memory store. */
class QueuePauseTest {
  private final List<Long> started = new CopyOnWriteArrayList<>();
  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
  private final Gate gate = new Gate();
  private Errand errand;

  private Errand start() {
    errand = Errand.builder()
        .queue(QueueSpec.builder("mail", String.class, ctx -> {
          started.add(ctx.id());
          if ("block".equals(ctx.args())) {
            gate.pass();
          }
          return "sent";
        }).workers(2).build())
        .queue(QueueSpec.builder("sms", String.class, ctx -> "sent").build())
        .listener("test", events::add)
        .build();
    return errand;
  }

  @AfterEach
  void stop() {
    gate.open();
    if (errand != null) {
      errand.close();
    }
  }

  private List<EventType> queueEvents() {
    return events.stream().map(TaskEvent::type)
        .filter(t -> t == EventType.QUEUE_PAUSED || t == EventType.QUEUE_RESUMED).toList();
  }

  @Test
  void aPausedQueueTakesSubmitsAndStartsNoneUntilResumed() {
    QueueControl mail = start().control("mail");
    assertThat(mail.pause()).isTrue();
    assertThat(mail.pause()).isFalse();
    assertThat(mail.isPaused()).isTrue();
    assertThat(mail.pausedSince()).isPresent();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(errand.submit("mail", "hello"));
    }
    // Another queue's task runs to its end: the workers are alive, the pause alone holds mail.
    Await.finished(errand, errand.submit("sms", "x"));
    assertThat(started).isEmpty();
    assertThat(ids).allSatisfy(id ->
        assertThat(errand.get(id).map(TaskInfo::status)).contains(TaskStatus.WAITING));

    assertThat(mail.resume()).isTrue();
    assertThat(mail.resume()).isFalse();
    assertThat(mail.isPaused()).isFalse();
    assertThat(mail.pausedSince()).isEmpty();
    ids.forEach(id -> assertThat(Await.finished(errand, id).status()).isEqualTo(TaskStatus.SUCCESS));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> queueEvents().size() == 2);
    assertThat(queueEvents()).containsExactly(EventType.QUEUE_PAUSED, EventType.QUEUE_RESUMED);
    assertThat(events).filteredOn(e -> e.type() == EventType.QUEUE_PAUSED).singleElement()
        .satisfies(e -> {
          assertThat(e.queue()).isEqualTo("mail");
          assertThat(e.taskId()).isZero();
        });
  }

  @Test
  void drainPausesAndWaitsUntilNothingRunsThenStaysPaused() throws Exception {
    start();
    long running = errand.submit("mail", "block");
    Await.status(errand, running, TaskStatus.RUNNING);

    DrainReport early = errand.control("mail").drain(Duration.ZERO);
    assertThat(early.drained()).isFalse();
    assertThat(early.running()).isEqualTo(1);

    CompletableFuture<DrainReport> drain =
        CompletableFuture.supplyAsync(() -> errand.control("mail").drain(Duration.ofSeconds(30)));
    long later = errand.submit("mail", "hello");
    gate.open();
    DrainReport report = drain.get();
    assertThat(report.drained()).isTrue();
    assertThat(report.running()).isZero();
    assertThat(Await.finished(errand, running).status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(errand.get(later).map(TaskInfo::status)).contains(TaskStatus.WAITING);
    assertThat(errand.control("mail").isPaused()).isTrue();
  }

  @Test
  void drainRefusesABadDeadlineAndControlAnUnknownQueue() {
    start();
    assertThatThrownBy(() -> errand.control("mail").drain(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("drain deadline").hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> errand.control("nope")).isInstanceOf(UnknownQueueException.class);
  }

  /**
   * Eight workers run short tasks while the queue is paused mid-flow: no task is claimed after
   * the pause returned (its recorded start, the claim's time, is not later), none of the
   * handlers starts later than a pickup's worth after it, and the tasks submitted since wait
   * until the resume, then all run.
   */
  @Test
  void noTaskStartsAfterThePauseReturned() {
    Map<Long, Long> handlerStart = new ConcurrentHashMap<>();
    errand = Errand.builder()
        .queue(QueueSpec.builder("flow", Integer.class, ctx -> {
          handlerStart.put(ctx.id(), System.nanoTime());
          return ctx.args();
        }).workers(8).build())
        .build();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ids.add(errand.submit("flow", i));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
        .until(() -> handlerStart.size() >= 500);
    errand.control("flow").pause();
    Instant pausedAt = Instant.now();
    long pausedNanos = System.nanoTime();
    DrainReport drained = errand.control("flow").drain(Duration.ofSeconds(30));
    assertThat(drained.drained()).isTrue();
    for (int i = 0; i < 100; i++) {
      ids.add(errand.submit("flow", i));
    }
    int ranWhilePaused = handlerStart.size();
    assertThat(ranWhilePaused).as("the pause came before the end").isLessThan(ids.size());

    List<TaskInfo> startedLate = ids.stream().map(id -> errand.get(id).orElseThrow())
        .filter(t -> t.startedAt() != null && t.startedAt().isAfter(pausedAt)).toList();
    assertThat(startedLate).as("tasks claimed after the pause returned").isEmpty();
    assertThat(handlerStart.values()).allSatisfy(n -> assertThat(n - pausedNanos)
        .as("a handler's start after the pause, in ns").isLessThan(Duration.ofSeconds(5).toNanos()));

    errand.control("flow").resume();
    ids.forEach(id -> assertThat(Await.finished(errand, id).status()).isEqualTo(TaskStatus.SUCCESS));
  }
}
