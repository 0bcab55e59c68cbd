package io.errand.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.ManualClock;
import io.errand.api.MissedRunPolicy;
import io.errand.api.NonRetryableException;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ErrandMetrics on a SimpleMeterRegistry: no Spring, no Prometheus, a manual clock. */
class ErrandMetricsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration LONG = Duration.ofSeconds(20);

  private final ManualClock clock = new ManualClock(T0);
  /** Handlers whose args name a gate wait until the test opens it. */
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final Errand errand = Errand.builder().clock(clock)
      .queue(QueueSpec.builder("work", String.class, ctx -> {
        String args = ctx.args();
        if (args.startsWith("gate:")) {
          gates.computeIfAbsent(args, k -> new CountDownLatch(1)).await();
        }
        if (args.equals("fail")) {
          throw new NonRetryableException("failed for good");
        }
        if (args.equals("flaky") && ctx.attempt() == 1) {
          throw new IllegalStateException("flaky");
        }
        return "done " + args;
      }).workers(2).capacity(50).attempts(2).backoff(Backoff.fixed(Duration.ZERO)).build())
      .queue(QueueSpec.builder("idle", String.class, ctx -> "").capacity(7).build())
      .build();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    gates.values().forEach(CountDownLatch::countDown);
    errand.close();
  }

  @Test
  void countersAndGaugesFollowTheTasksOfEachQueue() {
    ErrandMetrics metrics = ErrandMetrics.of(errand);
    metrics.bindTo(registry);

    awaitFinished(errand.submit("work", "a"));
    awaitFinished(errand.submit("work", "b"));
    awaitFinished(errand.submit("work", "fail"));
    awaitFinished(errand.submit("work", "flaky"));
    long cancelled = errand.submit("work", "x", SubmitOptions.delayed(Duration.ofHours(1)));
    errand.cancel(cancelled, "not needed");
    long running1 = errand.submit("work", "gate:1");
    long running2 = errand.submit("work", "gate:2");
    awaitStatus(running1, TaskStatus.RUNNING);
    awaitStatus(running2, TaskStatus.RUNNING);
    long waiting = errand.submit("work", "c");

    // Errand counts a start or an end just after the store records it: awaited, not assumed.
    await().atMost(LONG).untilAsserted(() -> {
      assertThat(gauge("errand.tasks.running", "work")).isEqualTo(2);
      assertThat(gauge("errand.tasks.waiting", "work")).isEqualTo(1);
    });
    assertThat(gauge("errand.queue.capacity", "work")).isEqualTo(50);
    assertThat(gauge("errand.queue.capacity", "idle")).isEqualTo(7);
    assertThat(gauge("errand.tasks.waiting", "idle")).isZero();
    assertThat(gauge("errand.queue.paused", "idle")).isZero();
    errand.control("idle").pause();
    assertThat(gauge("errand.queue.paused", "idle")).isEqualTo(1);
    assertThat(gauge("errand.queue.paused", "work")).isZero();
    errand.control("idle").resume();
    assertThat(gauge("errand.queue.paused", "idle")).isZero();

    open("gate:1");
    open("gate:2");
    awaitFinished(waiting);
    await().atMost(LONG).untilAsserted(() -> {
      assertThat(gauge("errand.tasks.running", "work")).isZero();
      assertThat(gauge("errand.tasks.waiting", "work")).isZero();
      assertThat(counter("errand.tasks.submitted", "work", null)).isEqualTo(8);
      assertThat(counter("errand.tasks.completed", "work", "success")).isEqualTo(6);
      assertThat(counter("errand.tasks.completed", "work", "failure")).isEqualTo(1);
      assertThat(counter("errand.tasks.completed", "work", "cancelled")).isEqualTo(1);
      assertThat(counter("errand.tasks.retries", "work", null)).isEqualTo(1);
    });
    assertThat(counter("errand.tasks.abandoned", "work", null)).isZero();
    assertThat(counter("errand.tasks.submitted", "idle", null)).isZero();
    // Each started attempt's end shows in a run timer: 6 successes, 1 failure, 1 retry.
    await().atMost(LONG).untilAsserted(() -> {
      assertThat(runTimer("work", "success").count()).isEqualTo(6);
      assertThat(runTimer("work", "failure").count()).isEqualTo(1);
      assertThat(runTimer("work", "retried").count()).isEqualTo(1);
      // 8 starts; the flaky task's first wait counts only if the listener read the task before
      // its second attempt began (the wait is read from the task, which holds the latest one).
      assertThat(waitTimer("work").count()).isBetween(7L, 8L);
    });
    // The task cancelled while it waited never started: no run time.
    assertThat(runTimer("work", "cancelled").count()).isZero();
    metrics.close();
  }

  @Test
  void timersMeasureRunAndWaitTimeOnTheErrandClock() {
    ErrandMetrics metrics = ErrandMetrics.of(errand);
    metrics.bindTo(registry);

    long id = errand.submit("work", "gate:timed", SubmitOptions.delayed(Duration.ofSeconds(5)));
    clock.advance(Duration.ofSeconds(7)); // due at T0+5s, started at T0+7s: waited 2 s
    awaitStatus(id, TaskStatus.RUNNING);
    clock.advance(Duration.ofSeconds(3)); // runs 3 s by the Errand's clock
    open("gate:timed");
    awaitFinished(id);

    await().atMost(LONG).until(() -> runTimer("work", "success").count() == 1);
    assertThat(runTimer("work", "success").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3_000);
    assertThat(waitTimer("work").count()).isEqualTo(1);
    assertThat(waitTimer("work").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2_000);
    metrics.close();
  }

  @Test
  void commonTagsGoOnEveryMeterAndTheListenerIsNamed() {
    ErrandMetrics metrics = ErrandMetrics.builder(errand).listenerName("my-metrics")
        .tags(Tags.of("app", "billing")).build();
    metrics.bindTo(registry);
    awaitFinished(errand.submit("work", "a"));

    assertThat(registry.getMeters()).isNotEmpty()
        .allSatisfy(m -> assertThat(m.getId().getTag("app")).isEqualTo("billing"));
    assertThat(registry.get("errand.events.dropped").tag("listener", "my-metrics")
        .functionCounter().count()).isZero();
    assertThat(registry.get("errand.tasks.submitted").tags("app", "billing", "queue", "work")
        .functionCounter().count()).isEqualTo(1);
    metrics.close();
  }

  @Test
  void reservedTagKeysAndBlankListenerNamesAreRefused() {
    assertThatThrownBy(() -> ErrandMetrics.builder(errand).tags(Tags.of("queue", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tag 'queue' is set by ErrandMetrics itself");
    assertThatThrownBy(() -> ErrandMetrics.builder(errand).listenerName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("listenerName must not be blank, was ' '");
    assertThatThrownBy(() -> ErrandMetrics.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void twoRegistriesEachGetEveryMeterAndCloseStopsOnlyTheTimers() {
    ErrandMetrics metrics = ErrandMetrics.of(errand);
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    metrics.bindTo(other);
    awaitFinished(errand.submit("work", "a"));
    await().atMost(LONG).until(() -> runTimer(registry, "work", "success").count() == 1
        && runTimer(other, "work", "success").count() == 1);

    metrics.close();
    awaitFinished(errand.submit("work", "b"));
    // The counters read Errand's counts: they go on. The timers' listener is gone.
    await().atMost(LONG).until(() -> counter("errand.tasks.completed", "work", "success") == 2);
    assertThat(runTimer(registry, "work", "success").count()).isEqualTo(1);
    assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ErrandMetrics is closed");
  }

  private void open(String gate) {
    gates.computeIfAbsent(gate, k -> new CountDownLatch(1)).countDown();
  }

  @Test
  void schedulesCountFiredAndSkippedOccurrencesAndTimeTheLagFromDueToSubmitted() {
    ErrandMetrics metrics = ErrandMetrics.of(errand);
    metrics.bindTo(registry);
    errand.schedules().create(Schedule.builder("hourly", "work",
        ScheduleSpec.every(Duration.ofHours(1))).args("sched")
        .missed(MissedRunPolicy.runOnce()).build());

    // 01:00 is noticed at 01:30: run_once fires it, half an hour late.
    clock.advance(Duration.ofMinutes(90));
    await().atMost(LONG).until(() -> scheduleCount("errand.schedule.fired") == 1);
    // 02:00, 03:00 and 04:00 are noticed at 04:30: 04:00 fires, 02:00 and 03:00 are skipped.
    clock.advance(Duration.ofHours(3));
    await().atMost(LONG).until(() -> scheduleCount("errand.schedule.fired") == 2
        && scheduleCount("errand.schedule.skipped") == 2);
    Timer lag = registry.get("errand.schedule.lag").tag("schedule", "hourly").timer();
    await().atMost(LONG).until(() -> lag.count() == 2);
    assertThat(lag.max(TimeUnit.MINUTES)).isEqualTo(30);
    assertThat(lag.totalTime(TimeUnit.MINUTES)).isEqualTo(60);
    metrics.close();
  }

  private double scheduleCount(String name) {
    var found = registry.find(name).tag("schedule", "hourly").tag("queue", "work").counter();
    return found == null ? 0 : found.count();
  }

  private void awaitFinished(long id) {
    await().atMost(LONG).until(() -> errand.get(id).orElseThrow().status().isTerminal());
  }

  private void awaitStatus(long id, TaskStatus status) {
    await().atMost(LONG).until(() -> errand.get(id).orElseThrow().status() == status);
  }

  private double gauge(String name, String queue) {
    return registry.get(name).tag("queue", queue).gauge().value();
  }

  private double counter(String name, String queue, String outcome) {
    var search = registry.get(name).tag("queue", queue);
    if (outcome != null) {
      search = search.tag("outcome", outcome);
    }
    return search.functionCounter().count();
  }

  private Timer runTimer(String queue, String outcome) {
    return runTimer(registry, queue, outcome);
  }

  private static Timer runTimer(MeterRegistry r, String queue, String outcome) {
    return r.get("errand.task.run").tags("queue", queue, "outcome", outcome).timer();
  }

  private Timer waitTimer(String queue) {
    return registry.get("errand.task.wait").tag("queue", queue).timer();
  }
}
