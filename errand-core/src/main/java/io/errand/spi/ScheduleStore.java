package io.errand.spi;

import io.errand.api.Schedule;
import io.errand.api.ScheduleState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where schedules live: their definitions and the firing state that makes each occurrence yield
 * at most one task, whatever the number of nodes or restarts, without a leader. Every method is
 * thread-safe.
 *
 * <p>The guarantee rests on {@link #advance}: a compare-and-set on the schedule's
 * {@code nextDue} that, in the same atomic step (one transaction in a database), inserts the
 * occurrence's task and moves {@code nextDue} on. Nodes that decide the same occurrence at the
 * same time all call it with the same expected {@code nextDue}; exactly one succeeds, the
 * others change nothing. The task's unique key, derived from the schedule's name and the
 * occurrence, is a second guard within the task store.
 */
public interface ScheduleStore {

  /**
   * Adds {@code schedule}, active, waiting for {@code nextDue} (null when it has no occurrence).
   *
   * @return false, changing nothing, if a schedule with its name exists
   */
  boolean create(Schedule schedule, Instant nextDue);

  /**
   * Replaces the definition of the schedule with {@code schedule}'s name, keeping its state,
   * {@code nextDue}, held occurrence and last run (for a change that leaves its occurrences as
   * they are). Keeping {@code nextDue} inside the store, rather than writing back a value read
   * earlier, is what keeps an occurrence fired meanwhile from being fired again.
   *
   * @return false if there is no such schedule
   */
  boolean update(Schedule schedule);

  /**
   * Replaces the definition of the schedule with {@code schedule}'s name and sets its
   * {@code nextDue} (for a change of its occurrences), keeping its state, held occurrence and
   * last run.
   *
   * @return false if there is no such schedule
   */
  boolean reschedule(Schedule schedule, Instant nextDue);

  /** Removes a schedule (its tasks stay); false if there was none. */
  boolean delete(String name);

  /** Pauses or resumes a schedule; false if there is none. */
  boolean setState(String name, ScheduleState state);

  /** The schedule named {@code name}, if any. */
  Optional<StoredSchedule> find(String name);

  /** Every schedule, by name. */
  List<StoredSchedule> list();

  /**
   * The active schedules that have work at {@code now}, for the schedule runner: those whose
   * {@code nextDue} is at or before {@code now}, earliest first, then those holding an
   * occurrence ({@link StoredSchedule#held()}); at most {@code limit} of them. Reading them costs
   * about as much as the schedules returned, not as all the schedules kept.
   *
   * <p>A store shared by several nodes may split the due schedules among them: it may leave out
   * a schedule another node has claimed a moment ago and is deciding. Leaving one out never
   * breaks exactly-once ({@link #advance} alone guarantees that); a schedule left out must come
   * back within a few seconds if the node that claimed it does not move it on (it died).
   *
   * @param limit the most schedules to return, at least 1
   * @throws IllegalArgumentException if {@code limit} is less than 1
   */
  List<StoredSchedule> due(Instant now, int limit);

  /**
   * The earliest {@code nextDue} after {@code now} of the active schedules, or empty when none
   * has one: when the schedule runner must look again at the latest.
   */
  Optional<Instant> nextDueAfter(Instant now);

  /**
   * Applies {@code step} if schedule {@code name} exists, is active, and still waits for
   * {@code expectedNextDue}; otherwise changes nothing. Atomic: the task of a {@link
   * ScheduleStep.Fire} is inserted together with the move of {@code nextDue} or not at all.
   *
   * @return the inserted task when a Fire was applied; {@link Applied#NONE} when a Skip or Hold
   *     was applied; empty when nothing was applied (another node decided it, or the schedule
   *     changed, was paused or deleted)
   * @throws io.errand.api.QueueFullException if the task's queue is full (nothing is applied)
   */
  Optional<Applied> advance(String name, Instant expectedNextDue, ScheduleStep step);

  /**
   * Applies several fires, each exactly as {@link #advance} would apply it alone (the same
   * compare-and-set, the task inserted with the move or not at all), for the schedule runner's
   * many on-time occurrences of one look. A store may write them in one transaction; one fire
   * refused (its queue is full) or not applied (another node decided it) leaves the others be.
   *
   * @return per fire, in order, what it did
   */
  List<FireResult> fireAll(List<DueFire> fires);

  /**
   * One fire of {@link #fireAll}: apply {@code fire} to schedule {@code name} if it still waits
   * for {@code expectedNextDue}.
   */
  record DueFire(String name, Instant expectedNextDue, ScheduleStep.Fire fire) {
    /** Checks that the name and the fire are given. */
    public DueFire {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(fire, "fire");
    }
  }

  /**
   * What one fire of {@link #fireAll} did.
   *
   * @param applied the inserted task when it was applied; empty when it was not (another node
   *     decided it, or the schedule changed, was paused or deleted) or was refused
   * @param refused why it was refused (e.g. {@link io.errand.api.QueueFullException}): nothing of
   *     it was applied; null otherwise
   */
  record FireResult(Optional<Applied> applied, RuntimeException refused) {
    /** Checks that the outcome is given, and is not both applied and refused. */
    public FireResult {
      Objects.requireNonNull(applied, "applied");
      if (applied.isPresent() && refused != null) {
        throw new IllegalArgumentException("a fire is applied or refused, not both");
      }
    }
  }

  /**
   * Fires the held occurrence {@code held} of schedule {@code name}: inserts {@code task},
   * records it as the last run and clears the held occurrence, atomically, if the schedule
   * still holds exactly {@code held}.
   *
   * @return the inserted task, or empty when nothing was applied
   * @throws io.errand.api.QueueFullException if the task's queue is full (nothing is applied)
   */
  Optional<Applied> releaseHeld(String name, Instant held, NewTask task);

  /**
   * Inserts {@code task} for schedule {@code name} outside its occurrences (a run-now) and
   * records it as the last run, with {@code at} as its occurrence; {@code nextDue} is untouched.
   *
   * @return the inserted task, or empty if there is no such schedule
   * @throws io.errand.api.QueueFullException if the task's queue is full (nothing is applied)
   */
  Optional<Applied> runNow(String name, Instant at, NewTask task);

  /**
   * What an applied step did.
   *
   * @param taskId the task it inserted, or 0 when it inserted none
   */
  record Applied(long taskId) {
    /** A step that inserted no task. */
    public static final Applied NONE = new Applied(0);
  }
}
