package io.errand.spi.contract;

import io.errand.api.TaskStatus;
import io.errand.spi.TaskRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every status change the contract suite sees, per task: each record a store answers is compared
 * with the status last seen of its task, and a different one is a move. At the end of each test
 * the suite asserts that every move it saw is allowed by {@link TaskStatus#canMoveTo}.
 *
 * <p>It sees what {@link ObservedTasks} and {@link ObservedGroups} see: the records of every
 * answer, and of every task a change named, read again after the change.
 */
public final class TransitionLog {
  private final Map<Long, TaskStatus> last = new HashMap<>();
  private final Set<Move> moves = new LinkedHashSet<>();

  /** A status change of a task, as seen. */
  public record Move(long id, TaskStatus from, TaskStatus to) {
    /** Whether the transition table allows it. */
    public boolean allowed() {
      return from.canMoveTo(to);
    }
  }

  /** Notes the status of {@code record}; a record of null is ignored. */
  public synchronized void saw(TaskRecord record) {
    if (record == null) {
      return;
    }
    TaskStatus now = record.info().status();
    TaskStatus before = last.put(record.id(), now);
    if (before != null && before != now) {
      moves.add(new Move(record.id(), before, now));
    }
  }

  /** Forgets a task that was removed (its id is never seen again with an old status). */
  public synchronized void removed(long id) {
    last.remove(id);
  }

  /** Every distinct move seen so far, in the order first seen. */
  public synchronized List<Move> moves() {
    return new ArrayList<>(moves);
  }

  /** The moves seen so far that the transition table does not allow. */
  public synchronized List<Move> illegalMoves() {
    return moves.stream().filter(m -> !m.allowed()).toList();
  }
}
