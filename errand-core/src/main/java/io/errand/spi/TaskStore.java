package io.errand.spi;

import io.errand.api.BatchStatus;
import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where tasks live. Every method is thread-safe. Methods that change a running task take the
 * attempt they belong to and return null (changing nothing) unless the task is RUNNING that
 * attempt: this fencing is what keeps a late or abandoned worker from overwriting a newer one.
 */
public interface TaskStore extends AutoCloseable {

  /** Called once by the engine before any other method. */
  void open(StoreContext context);

  /** Whether tasks survive the process (then shutdown requeues instead of cancelling). */
  boolean durable();

  /**
   * Whether other processes may end this store's tasks (a store several nodes share). Their
   * ends reach no {@link StoreSignals} here, so the engine then reads the store now and then for
   * the tasks its callers {@code await}. False by default.
   */
  default boolean shared() {
    return false;
  }

  /**
   * Inserts {@code task} as WAITING, or returns the live task with the same queue and key.
   *
   * @throws io.errand.api.QueueFullException   if {@code capacity} tasks of the queue wait
   * @throws io.errand.api.InvalidTaskException if a given id is taken or not positive
   */
  Inserted insert(NewTask task);

  /**
   * Inserts all of {@code tasks} or none, as one new group. When {@code chained}, each task but
   * the first is held (never claimed) until {@link #release} after its predecessor succeeded.
   * Keys are not allowed in a group.
   *
   * @throws io.errand.api.QueueFullException if they do not all fit
   */
  GroupInserted insertGroup(List<NewTask> tasks, boolean chained);

  /** The task with {@code id}, if any. */
  Optional<TaskRecord> find(long id);

  /** Tasks matching {@code query}, newest (highest id) first. */
  Page<TaskRecord> list(TaskQuery query);

  /**
   * Takes the most urgent due WAITING task of {@code queue} (highest priority, then earliest
   * runAt, then lowest id): it becomes RUNNING on {@code node} with its attempt counted and
   * {@code startedAt = now}.
   *
   * @return the claimed task, or null when none is due
   */
  TaskRecord claim(String queue, String node, Instant now);

  /** When the next WAITING (not held) task of {@code queue} becomes due, if any waits. */
  Optional<Instant> nextDue(String queue);

  /** Records progress of a running attempt; false if fenced out. */
  boolean progress(long id, int attempt, long current, long total, String message);

  /** Ends a running attempt for good; null if fenced out. */
  TaskRecord finish(long id, int attempt, Outcome outcome, Instant at);

  /**
   * Ends a running attempt as {@link #finish} does, then claims the next task of {@code queue}
   * for {@code node} as {@link #claim} does at {@code at}. A worker done with one task asks for
   * the next in the same call, so a store can make both changes durable together (one commit
   * where two calls would wait for two). The default calls one after the other.
   */
  default EndAndNext finishAndClaim(long id, int attempt, Outcome outcome, Instant at,
      String queue, String node) {
    TaskRecord ended = finish(id, attempt, outcome, at);
    return new EndAndNext(ended, claim(queue, node, at));
  }

  /**
   * Puts a running attempt back to WAITING until {@code runAt}: a retry (with {@code error},
   * attempt kept) or, with {@code error} null, a requeue at shutdown (attempt not charged).
   *
   * @return the task after the change, or null if fenced out
   */
  TaskRecord reschedule(long id, int attempt, TaskError error, Instant runAt);

  /**
   * Cancels {@code id}: a WAITING (or held) task becomes CANCELLED at once; a RUNNING one is
   * marked {@code cancelRequested} and {@link StoreSignals#cancelRequested} is raised for its
   * node to act; a finished one is left as it is.
   */
  CancelAnswer requestCancel(long id, String reason, Instant at);

  /** Makes held chain step {@code id} due now, handing it {@code previousResult}. */
  void release(long id, Object previousResult, Instant now);

  /** Counts of a group's tasks by status, or empty if there is no such group. */
  Optional<BatchStatus> group(long group);

  /** The ids of a group's WAITING and RUNNING tasks. */
  List<Long> liveInGroup(long group);

  /** How many tasks of {@code queue} wait (due or not, held chain steps included). */
  long waiting(String queue);

  /**
   * Removes up to {@code limit} tasks of {@code queue} that finished before {@code before}.
   *
   * @return how many it removed
   */
  int purge(String queue, Instant before, int limit);

  /** Removes finished task {@code id}; false if there is none or it is still live. */
  boolean delete(long id);

  /** Saves (inserts or overwrites) a supervised key. */
  void saveKey(StoredKey key);

  /** Forgets a supervised key; harmless if there is none. */
  void removeKey(String supervisor, String key);

  /** The saved keys of {@code supervisor}, in no particular order. */
  List<StoredKey> keys(String supervisor);

  /** Releases the store's resources. */
  @Override
  void close();
}
