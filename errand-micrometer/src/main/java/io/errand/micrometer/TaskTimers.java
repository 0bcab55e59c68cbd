package io.errand.micrometer;

import io.errand.api.Errand;
import io.errand.api.EventListener;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run and wait timers of one registry, fed by Errand's events (schedule events go to its
 * {@link ScheduleMeters}). Its listener thread is the
 * only one that calls {@link #onEvent}, so the map of started attempts needs no lock.
 */
final class TaskTimers implements EventListener {
  /** Attempts whose end has not been seen yet; bounded in case their end event was dropped. */
  private static final int MAX_TRACKED = 100_000;
  /**
   * The timers' histogram buckets: a fixed, short list (rather than Micrometer's ~70 percentile
   * buckets per series) from milliseconds for quick tasks to an hour for long ones; Prometheus
   * computes any percentile from them with {@code histogram_quantile}.
   */
  private static final Duration[] BUCKETS = Stream.of(5L, 10L, 25L, 50L, 100L, 250L, 500L,
      1_000L, 2_500L, 5_000L, 10_000L, 30_000L, 60_000L, 300_000L, 900_000L, 3_600_000L)
      .map(Duration::ofMillis).toArray(Duration[]::new);
  private static final List<String> RUN_OUTCOMES =
      List.of("success", "failure", "cancelled", "retried");

  private final Errand errand;
  private final MeterRegistry registry;
  private final Tags tags;
  private final ScheduleMeters schedules;
  /**
   * When each attempt started, by task and attempt: a retried task's next attempt may start
   * (and its STARTED event come) before the RETRYING event of the attempt before it.
   */
  private final Map<AttemptKey, Instant> started = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<AttemptKey, Instant> eldest) {
      return size() > MAX_TRACKED;
    }
  };

  TaskTimers(Errand errand, MeterRegistry registry, Tags tags) {
    this.errand = errand;
    this.registry = registry;
    this.tags = tags;
    this.schedules = new ScheduleMeters(errand, registry, tags, BUCKETS);
  }

  /** Registers the timers of queue {@code q} up front, so they show before its first task. */
  static void register(MeterRegistry registry, Tags tags, String q) {
    for (String outcome : RUN_OUTCOMES) {
      runTimer(registry, tags, q, outcome);
    }
    waitTimer(registry, tags, q);
  }

  @Override
  public void onEvent(TaskEvent e) {
    switch (e.type()) {
      case STARTED -> {
        started.put(new AttemptKey(e.taskId(), e.attempt()), e.at());
        TaskInfo t = errand.get(e.taskId()).orElse(null);
        if (t != null && t.runAt() != null && t.attempt() == e.attempt()) {
          record(waitTimer(registry, tags, e.queue()), t.runAt(), e.at());
        }
      }
      case SUCCEEDED -> ended(e, "success");
      case FAILED -> ended(e, "failure");
      case CANCELLED -> ended(e, "cancelled");
      case RETRYING -> ended(e, "retried");
      case SNOOZED -> ended(e, "snoozed");
      case SCHEDULE_FIRED -> schedules.fired(e);
      case SCHEDULE_SKIPPED -> schedules.skipped(e);
      default -> { } // progress, batches and supervisors have no timer
    }
  }

  private void ended(TaskEvent e, String outcome) {
    Instant start = started.remove(new AttemptKey(e.taskId(), e.attempt()));
    if (start != null) { // a task cancelled while waiting never started
      record(runTimer(registry, tags, e.queue(), outcome), start, e.at());
    }
  }

  private record AttemptKey(long taskId, int attempt) {}

  private static void record(Timer timer, Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    timer.record(d.isNegative() ? Duration.ZERO : d);
  }

  /** The registry returns the timer registered before for the same name and tags. */
  private static Timer runTimer(MeterRegistry registry, Tags tags, String queue, String outcome) {
    return Timer.builder("errand.task.run").description("how long attempts ran")
        .tags(tags).tag("queue", queue).tag("outcome", outcome)
        .serviceLevelObjectives(BUCKETS).register(registry);
  }

  private static Timer waitTimer(MeterRegistry registry, Tags tags, String queue) {
    return Timer.builder("errand.task.wait").description("how long tasks waited from due to start")
        .tags(tags).tag("queue", queue)
        .serviceLevelObjectives(BUCKETS).register(registry);
  }
}
