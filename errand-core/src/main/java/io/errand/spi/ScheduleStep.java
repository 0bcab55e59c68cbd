package io.errand.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One decided step of a schedule, applied by {@link ScheduleStore#advance} only if the
 * schedule still waits for the occurrence the step was decided for. Each step moves the
 * schedule's {@code nextDue} to {@link #nextDue()}.
 */
public sealed interface ScheduleStep {

  /** The schedule's new {@code nextDue}: the first occurrence not decided by this step, or null. */
  Instant nextDue();

  /**
   * Occurrences are skipped (missed, or overlapping a live run): only {@code nextDue} moves.
   *
   * @param nextDue the schedule's new next occurrence, or null for none
   */
  record Skip(Instant nextDue) implements ScheduleStep {}

  /**
   * An occurrence fires: {@code task} is inserted (as {@link Tasks#insert} does, its key
   * derived from the schedule and the occurrence) and recorded as the last run.
   *
   * @param occurrence the occurrence
   * @param task       the task to insert
   * @param nextDue    the schedule's new next occurrence, or null for none
   */
  record Fire(Instant occurrence, NewTask task, Instant nextDue) implements ScheduleStep {
    /** Checks that the occurrence and task are given. */
    public Fire {
      Objects.requireNonNull(occurrence, "occurrence");
      Objects.requireNonNull(task, "task");
    }
  }

  /**
   * An occurrence waits for the live run to end: it becomes the schedule's held occurrence,
   * replacing any held one.
   *
   * @param occurrence the occurrence to hold
   * @param nextDue    the schedule's new next occurrence, or null for none
   */
  record Hold(Instant occurrence, Instant nextDue) implements ScheduleStep {
    /** Checks that the occurrence is given. */
    public Hold {
      Objects.requireNonNull(occurrence, "occurrence");
    }
  }
}
