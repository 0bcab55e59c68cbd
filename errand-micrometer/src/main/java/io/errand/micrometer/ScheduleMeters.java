package io.errand.micrometer;

import io.errand.api.Errand;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The schedule meters of one registry, fed by the schedule events on the timers' listener
 * thread: occurrences fired and skipped, and the lag from an occurrence's due time to its
 * task's submission. The occurrence comes from the fired task's key,
 * {@code schedule:<name>@<occurrence>}, read once per fire (as STARTED reads its task).
 */
final class ScheduleMeters {
  private final Errand errand;
  private final MeterRegistry registry;
  private final Tags tags;
  private final Duration[] buckets;

  ScheduleMeters(Errand errand, MeterRegistry registry, Tags tags, Duration[] buckets) {
    this.errand = errand;
    this.registry = registry;
    this.tags = tags;
    this.buckets = buckets;
  }

  /** Counts a SCHEDULE_FIRED event and times its lag. */
  void fired(TaskEvent e) {
    counter("errand.schedule.fired", "tasks schedules submitted for occurrences", e).increment();
    Instant occurrence = errand.get(e.taskId()).map(TaskInfo::key).map(ScheduleMeters::occurrence)
        .orElse(null);
    if (occurrence != null) {
      Duration lag = Duration.between(occurrence, e.at());
      Timer.builder("errand.schedule.lag")
          .description("from an occurrence's due time to its task's submission")
          .tags(tags).tag("schedule", e.key()).serviceLevelObjectives(buckets).register(registry)
          .record(lag.isNegative() ? Duration.ZERO : lag);
    }
  }

  /** Counts the occurrences a SCHEDULE_SKIPPED event skipped (its {@code total}). */
  void skipped(TaskEvent e) {
    counter("errand.schedule.skipped", "occurrences schedules skipped (missed or overlapping)", e)
        .increment(Math.max(1, e.total()));
  }

  private Counter counter(String name, String help, TaskEvent e) {
    return Counter.builder(name).description(help).tags(tags).tag("schedule", e.key())
        .tag("queue", e.queue()).register(registry);
  }

  /** The occurrence in a schedule task's key, or null for another key. */
  private static Instant occurrence(String key) {
    int at = key.lastIndexOf('@');
    if (!key.startsWith("schedule:") || at < 0) {
      return null;
    }
    try {
      return Instant.parse(key.substring(at + 1));
    } catch (DateTimeParseException notOne) {
      return null;
    }
  }
}
