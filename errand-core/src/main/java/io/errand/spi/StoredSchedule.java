package io.errand.spi;

import io.errand.api.Schedule;
import io.errand.api.ScheduleState;
import java.time.Instant;
import java.util.Objects;

/**
 * A schedule as a {@link ScheduleStore} keeps it: its definition and the state that makes
 * firing exactly-once.
 *
 * @param schedule its definition (a durable store keeps the text forms of its spec and
 *     policies, and its fixed args; an args function lives only in the process that defined it)
 * @param state    active or paused
 * @param nextDue  the first occurrence not yet decided (fired, held or skipped), or null when it
 *     has no more
 * @param held     an occurrence held until the live run ends (overlap policy), or null
 * @param lastRun  the latest task it submitted, or null before the first
 */
public record StoredSchedule(Schedule schedule, ScheduleState state, Instant nextDue,
    Instant held, LastRun lastRun) {
  /** Checks that the definition and state are given. */
  public StoredSchedule {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(state, "state");
  }

  /** Its name. */
  public String name() {
    return schedule.name();
  }

  /**
   * A task a schedule submitted.
   *
   * @param occurrence the occurrence it stands for (for a run-now, the time it was asked)
   * @param taskId     the task
   * @param firedAt    when it was submitted
   */
  public record LastRun(Instant occurrence, long taskId, Instant firedAt) {
    /** Checks that the times are given. */
    public LastRun {
      Objects.requireNonNull(occurrence, "occurrence");
      Objects.requireNonNull(firedAt, "firedAt");
    }
  }
}
