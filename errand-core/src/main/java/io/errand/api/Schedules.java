package io.errand.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An Errand's schedules: named, kept in its store, each firing one task per occurrence (see
 * {@link Schedule} and {@code docs/schedules.md}). Thread-safe. Changes take effect at once on
 * this node, and on the other nodes of a shared store at their next look (within a second).
 */
public interface Schedules {

  /**
   * Adds {@code schedule}, active; its first occurrence is the first after now.
   *
   * @throws InvalidSpecException if a schedule with its name exists, or its fixed args do not fit
   *     its queue
   * @throws UnknownQueueException if its queue is not one of this Errand's
   */
  ScheduleInfo create(Schedule schedule);

  /**
   * Replaces the definition of the schedule with {@code schedule}'s name, keeping whether it is
   * paused and its last run. When the spec or the start/end window changed, the schedule goes
   * on from the first new occurrence after now; otherwise it keeps waiting for the same one.
   *
   * @throws UnknownScheduleException if there is no such schedule
   * @throws InvalidSpecException if its fixed args do not fit its queue
   * @throws UnknownQueueException if its queue is not one of this Errand's
   */
  ScheduleInfo update(Schedule schedule);

  /** Removes a schedule (its tasks stay); false if there was none. */
  boolean delete(String name);

  /**
   * Stops a schedule firing; occurrences due meanwhile are missed and handled by its
   * {@link MissedRunPolicy} on {@link #resume}.
   *
   * @throws UnknownScheduleException if there is no such schedule
   */
  void pause(String name);

  /**
   * Lets a paused schedule fire again.
   *
   * @throws UnknownScheduleException if there is no such schedule
   */
  void resume(String name);

  /**
   * Submits the schedule's task now, outside its occurrences and whatever its overlap policy;
   * its next occurrence is unchanged.
   *
   * @return the task's id
   * @throws UnknownScheduleException if there is no such schedule
   * @throws QueueFullException if its queue is full
   */
  long runNow(String name);

  /** The schedule named {@code name}, if any. */
  Optional<ScheduleInfo> get(String name);

  /** Every schedule, by name. */
  List<ScheduleInfo> list();

  /**
   * The schedule's next {@code n} occurrences after now (within its start/end window).
   *
   * @throws UnknownScheduleException if there is no such schedule
   * @throws IllegalArgumentException if {@code n} is negative or above 10,000
   */
  List<Instant> next(String name, int n);
}
