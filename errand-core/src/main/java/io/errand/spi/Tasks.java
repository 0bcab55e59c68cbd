package io.errand.spi;

import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.api.StoreCannotJoinTransactionException;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tasks of a {@link TaskStore}. Methods that change a running task take the attempt they
 * belong to and change nothing unless the task is RUNNING that attempt: this fencing is what
 * keeps a late or abandoned worker from overwriting a newer one, and such a call answers
 * {@link Change.FencedOut} (or {@link ProgressAnswer#FENCED_OUT}). Every change of a task's
 * status is one of {@link Transition}'s allowed moves; a store that would make another throws
 * {@link IllegalStateException} (a bug, never a user error).
 */
public interface Tasks {

  /**
   * Inserts {@code task} as WAITING, or answers the live task with the same queue and key.
   *
   * @throws io.errand.api.QueueFullException   if {@code capacity} tasks of the queue wait
   * @throws io.errand.api.InvalidTaskException if a given id is taken or not positive
   */
  Inserted insert(NewTask task);

  /**
   * Inserts {@code task} as {@link #insert(NewTask)} does, but inside the transaction open on
   * {@code connection} (the caller's): the task exists once the caller commits, and never if
   * the caller rolls back. A refusal leaves the caller's transaction as it was. The default
   * refuses: only a store whose tasks live in that connection's database can join it.
   *
   * @throws io.errand.api.StoreCannotJoinTransactionException if this store cannot
   * @throws io.errand.api.QueueFullException   if {@code capacity} tasks of the queue wait
   * @throws io.errand.api.InvalidTaskException if a given id is taken or not positive
   * @throws IllegalArgumentException           if {@code connection} is in auto-commit mode
   */
  default Inserted insert(Connection connection, NewTask task) {
    throw new StoreCannotJoinTransactionException("this store ("
        + getClass().getSimpleName() + ")");
  }

  /** The task with {@code id}, if any. */
  Optional<TaskRecord> find(long id);

  /** Tasks matching {@code query}, newest (highest id) first. */
  Page<TaskRecord> list(TaskQuery query);

  /**
   * Takes the most urgent due WAITING task of {@code queue} (highest priority, then earliest
   * runAt, then lowest id): it becomes RUNNING on {@code node} with its attempt counted and
   * {@code startedAt = now}.
   */
  Claim claim(String queue, String node, Instant now);

  /**
   * Takes up to {@code max} due WAITING tasks of {@code queue} at once, each as {@link #claim}
   * takes one, most urgent first: the engine asks for as many as it has idle workers, so every
   * task claimed starts at once. Fewer (or none) come back when fewer are due. The default
   * claims one at a time; a store that can take many in one statement overrides it.
   *
   * @throws IllegalArgumentException if {@code max} is not positive
   */
  default List<TaskRecord> claim(String queue, String node, Instant now, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    List<TaskRecord> claimed = new ArrayList<>(Math.min(max, 32));
    while (claimed.size() < max
        && claim(queue, node, now) instanceof Claim.Claimed(TaskRecord rec)) {
      claimed.add(rec);
    }
    return claimed;
  }

  /** When the next WAITING (not held) task of {@code queue} becomes due, if any waits. */
  Optional<Instant> nextDue(String queue);

  /** Records progress of a running attempt. */
  ProgressAnswer progress(long id, int attempt, long current, long total, String message);

  /** Ends a running attempt for good: SUCCESS, FAILURE or CANCELLED as {@code outcome} says. */
  Change finish(long id, int attempt, Outcome outcome, Instant at);

  /**
   * Ends a running attempt as {@link #finish} does, then claims the next task of {@code queue}
   * for {@code node} as {@link #claim} does at {@code at}. A worker done with one task asks for
   * the next in the same call, so a store can make both changes durable together (one commit
   * where two calls would wait for two). The default calls one after the other.
   */
  default EndAndNext finishAndClaim(long id, int attempt, Outcome outcome, Instant at,
      String queue, String node) {
    Change ended = finish(id, attempt, outcome, at);
    return new EndAndNext(ended, claim(queue, node, at));
  }

  /**
   * Puts a running attempt back to WAITING until {@code runAt}: a retry (with {@code error},
   * attempt kept) or, with {@code error} null, a requeue at shutdown (attempt not charged). A
   * cancel requested while the attempt ran wins: the task then ends CANCELLED instead.
   */
  Change reschedule(long id, int attempt, TaskError error, Instant runAt);

  /**
   * Cancels {@code id}: a WAITING (or held) task becomes CANCELLED at once; a RUNNING one is
   * marked {@code cancelRequested} and {@link StoreSignals#cancelRequested} is raised for its
   * node to act; a finished one is left as it is.
   */
  CancelAnswer requestCancel(long id, String reason, Instant at);

  /** How many tasks of {@code queue} wait (due or not, held chain steps included). */
  long waiting(String queue);

  /**
   * Removes up to {@code limit} tasks of {@code queue} that finished before {@code before}.
   *
   * @return how many it removed
   */
  int purge(String queue, Instant before, int limit);

  /** Removes finished task {@code id}; a live task or an unknown id is left alone. */
  Deletion delete(long id);
}
