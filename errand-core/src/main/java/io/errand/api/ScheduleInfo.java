package io.errand.api;

import java.time.Instant;
import java.util.Optional;

/**
 * A schedule as it stands: its definition, whether it fires, what it waits for and its latest
 * run.
 *
 * @param schedule its definition
 * @param state    active or paused
 * @param nextDue  the first occurrence not yet fired or skipped, or null when it has no more
 * @param held     an occurrence held until the live run ends (overlap policy), or null
 * @param lastRun  its latest task, or null before the first
 */
public record ScheduleInfo(Schedule schedule, ScheduleState state, Instant nextDue, Instant held,
    ScheduleRun lastRun) {

  /** Its name. */
  public String name() {
    return schedule.name();
  }

  /** Its latest task, if it submitted one. */
  public Optional<ScheduleRun> last() {
    return Optional.ofNullable(lastRun);
  }
}
