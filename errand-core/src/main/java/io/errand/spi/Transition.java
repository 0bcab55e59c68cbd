package io.errand.spi;

import io.errand.api.TaskStatus;
import java.util.Objects;

/**
 * One allowed move of a task's status: the one place every store checks a status change
 * against {@link TaskStatus#canMoveTo}. The memory store moves each task through
 * {@link #check}; the SQL stores write only statuses taken from a {@code Transition}, and check
 * what a statement answers. A move outside the table is a bug in the store, so it fails loudly
 * with {@link IllegalStateException} instead of being written.
 *
 * @param from the status the task has
 * @param to   the status it gets
 */
public record Transition(TaskStatus from, TaskStatus to) {
  /** The claim of a due task. */
  public static final Transition CLAIM = new Transition(TaskStatus.WAITING, TaskStatus.RUNNING);
  /** A retry, a requeue at shutdown, or the rescue of a dead node's task. */
  public static final Transition REQUEUE = new Transition(TaskStatus.RUNNING, TaskStatus.WAITING);
  /** The cancel of a waiting (or held) task. */
  public static final Transition CANCEL_WAITING =
      new Transition(TaskStatus.WAITING, TaskStatus.CANCELLED);
  /** The end of a running task that was cancelled. */
  public static final Transition CANCEL_RUNNING =
      new Transition(TaskStatus.RUNNING, TaskStatus.CANCELLED);

  /**
   * Checks the move against the table.
   *
   * @throws IllegalStateException if {@code from} may not move to {@code to}
   */
  public Transition {
    check(from, to);
  }

  /**
   * The end of a running attempt as {@code outcome} says: RUNNING to SUCCESS, FAILURE or
   * CANCELLED.
   */
  public static Transition end(Outcome outcome) {
    return new Transition(TaskStatus.RUNNING, switch (outcome) {
      case Outcome.Succeeded s -> TaskStatus.SUCCESS;
      case Outcome.Failed f -> TaskStatus.FAILURE;
      case Outcome.Cancelled c -> TaskStatus.CANCELLED;
    });
  }

  /**
   * Returns {@code to} if a task may move from {@code from} to it.
   *
   * @throws IllegalStateException if it may not: the store was about to break the table
   */
  public static TaskStatus check(TaskStatus from, TaskStatus to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!from.canMoveTo(to)) {
      throw new IllegalStateException("a task cannot move from " + from + " to " + to
          + " (TaskStatus.canMoveTo): this is a bug in the store");
    }
    return to;
  }

  /**
   * Checks what a statement answered: a task that was {@code from} and is {@code after} now
   * moved from the one to the other, or stayed.
   *
   * @return {@code after}
   * @throws IllegalStateException if that move is not in the table
   */
  public static TaskRecord checkAfter(TaskStatus from, TaskRecord after) {
    if (after != null && after.info().status() != from) {
      check(from, after.info().status());
    }
    return after;
  }
}
