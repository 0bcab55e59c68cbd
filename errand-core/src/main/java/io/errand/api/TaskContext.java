package io.errand.api;

import java.time.Instant;
import java.util.Optional;

/**
 * What a running attempt sees of itself and of Errand. Thread-safe: a handler may hand it to
 * threads of its own.
 *
 * @param <A> the type of the task's arguments
 */
public interface TaskContext<A> {

  /** The task's id. */
  long id();

  /** The task's queue. */
  String queue();

  /** The arguments the task was submitted with. */
  A args();

  /** This attempt's number, from 1. */
  int attempt();

  /** When this attempt times out (its start plus the queue's time-out), if it has one. */
  Optional<Instant> deadline();

  /**
   * Reports progress, visible at once through {@link Errand#get(long)} and as a PROGRESS event.
   * Ignored once the attempt has ended (a late report never overwrites a newer attempt).
   *
   * @param current work done so far
   * @param total   the goal, or 0 when unknown
   * @param message what is happening now; may be null
   * @throws IllegalArgumentException if {@code current} or {@code total} is negative
   */
  void progress(long current, long total, String message);

  /**
   * Returns normally while the attempt may go on; throws when it must stop: cancelled, timed
   * out, or, with a durable store, Errand is shutting down (the task runs again after restart).
   *
   * @throws TaskStoppedException when the attempt must stop
   */
  void checkpoint();

  /** Whether this attempt was cancelled or timed out (checkpoint would throw for that). */
  boolean isCancelled();

  /** Whether Errand is shutting down: finish soon, or save state and stop at a checkpoint. */
  boolean shuttingDown();

  /**
   * Registers {@code callback} to run once when this attempt is asked to stop (cancel, time-out,
   * shutdown), before the worker thread is interrupted: close the socket, kill the process. Runs
   * at once if the attempt is already stopping. A callback that throws is logged and skipped.
   */
  void onCancel(Runnable callback);

  /**
   * The result of the previous step when this task is a step of a chain, or the batch's outcome
   * when it is a batch's {@link BatchCallback}, as plain JSON values (maps, lists, strings,
   * numbers) on every store; empty for the first step and for other tasks.
   */
  Optional<Object> previousResult();

  /**
   * Ends this attempt and puts the task back to WAITING, to run again after {@code delay}: the
   * attempt is not charged (it does not count toward the queue's attempts) and no error is kept.
   * For a handler that finds it is too early (a resource is busy, a rate limit of another
   * service answered "later"). The decision is recorded first, then {@link TaskSnoozedException}
   * unwinds the handler: the task is snoozed however the handler then ends, even if a catch-all
   * swallowed the exception. A cancel, a time-out or a shutdown that came before wins. The first
   * of {@code snooze} and {@link #cancelSelf} called counts.
   *
   * @param delay how long the task waits before its next attempt, 0 to 100 years
   * @throws TaskSnoozedException          always, once the snooze is recorded
   * @throws IllegalArgumentException      if {@code delay} is negative or longer than
   *                                       {@link Errand#LONGEST_DURATION}; nothing is recorded
   * @throws NullPointerException          if {@code delay} is null
   * @throws UnsupportedOperationException in a context that is not a queue's task (a supervised
   *                                       key's instance, a hook)
   */
  default void snooze(java.time.Duration delay) {
    throw new UnsupportedOperationException("only a queue's task can snooze itself");
  }

  /**
   * Ends this task CANCELLED with {@code reason}, with no retry whatever attempts are left: for
   * a handler that finds its work no longer makes sense (the account was deleted). The decision
   * is recorded first, then a {@link TaskStoppedException} (cause
   * {@link TaskStoppedException.StopCause#CANCELLED}) unwinds the handler; the task ends
   * CANCELLED however the handler then ends. A cancel, a time-out or a shutdown that came before
   * wins. The first of {@link #snooze} and {@code cancelSelf} called counts.
   *
   * @param reason why, kept as the task's cancel reason; null for "cancelled by its handler"
   * @throws TaskStoppedException          always, once the cancel is recorded
   * @throws UnsupportedOperationException in a context that is not a queue's task
   */
  default void cancelSelf(String reason) {
    throw new UnsupportedOperationException("only a queue's task can cancel itself");
  }
}
