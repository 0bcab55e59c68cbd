package io.errand.spi;

import io.errand.api.BatchStatus;
import io.errand.api.InvalidTaskException;
import io.errand.api.StoreCannotJoinTransactionException;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The groups of a {@link TaskStore}: tasks inserted as one, as a batch or as a chain. */
public interface Groups {

  /**
   * Inserts all of {@code tasks} or none, as one new group. In a {@link GroupKind#CHAIN}, each
   * task but the first is held (never claimed) until {@link #release} after its predecessor
   * succeeded. With a kind that {@link GroupKind#hasCallback()}, the last task is the batch's
   * callback, inserted as that kind says. Keys are not allowed in a group.
   *
   * @throws io.errand.api.QueueFullException   if they do not all fit
   * @throws io.errand.api.InvalidTaskException if a task has a key, or a given id is taken
   */
  GroupInserted insert(List<NewTask> tasks, GroupKind kind);

  /**
   * Inserts a group as {@link #insert(List, GroupKind)} does, but inside the transaction open on
   * {@code connection} (see {@link Tasks#insert(Connection, NewTask)}). The default refuses.
   *
   * @throws io.errand.api.StoreCannotJoinTransactionException if this store cannot
   * @throws io.errand.api.QueueFullException   if they do not all fit
   * @throws io.errand.api.InvalidTaskException if a task has a key, or a given id is taken
   * @throws IllegalArgumentException           if {@code connection} is in auto-commit mode
   */
  default GroupInserted insert(Connection connection, List<NewTask> tasks, GroupKind kind) {
    throw new StoreCannotJoinTransactionException("this store ("
        + getClass().getSimpleName() + ")");
  }

  /**
   * Makes held chain step {@code id} due now, handing it {@code previousResult}. A step that
   * is not held and WAITING (cancelled meanwhile, say) is left alone.
   */
  void release(long id, Object previousResult, Instant now);

  /** Counts of a group's tasks by status, or empty if there is no such group. */
  Optional<BatchStatus> status(long group);

  /** The ids of a group's WAITING and RUNNING tasks. */
  List<Long> live(long group);

  /** The ids of all of a group's tasks still kept, lowest first (a batch's callback is not one). */
  List<Long> members(long group);

  /**
   * The batch callbacks still held ({@link GroupKind#hasCallback()}), each with its batch's
   * group (0 if no task of it is kept): read at start, to release those whose batch ended while
   * no node was there to do it (a crash after the last end). A store whose tasks do not outlive
   * the process keeps this default, which answers none.
   */
  default java.util.Map<Long, Long> heldCallbacks() {
    return java.util.Map.of();
  }

  /**
   * Refuses a group of which a task has a key: every store checks it the same way, first.
   *
   * @throws io.errand.api.InvalidTaskException naming the key of the first task that has one
   */
  static void requireNoKeys(List<NewTask> tasks) {
    for (NewTask t : tasks) {
      if (t.key() != null) {
        throw new InvalidTaskException("tasks of a batch or chain cannot have a key, "
            + "but one has key '" + t.key() + "'");
      }
    }
  }
}
