package io.errand.spi;

import io.errand.api.TaskStatus;
import java.util.Objects;

/** What {@link Tasks#requestCancel} found and did, one case per status it found. */
public sealed interface CancelAnswer {
  /** There is no such task. */
  CancelAnswer NOT_FOUND = new NotFound();

  /** No task has the id; use {@link CancelAnswer#NOT_FOUND}. */
  record NotFound() implements CancelAnswer {}

  /** The task was WAITING (or held): {@code record} is it now, CANCELLED. */
  record Cancelled(TaskRecord record) implements CancelAnswer {
    /** Checks that the record is CANCELLED. */
    public Cancelled {
      require(record, TaskStatus.CANCELLED);
    }
  }

  /**
   * The task was RUNNING: {@code record} is it now, still RUNNING with {@code cancelRequested}
   * (and the first request's reason, if one came before). Its node stops it.
   */
  record StopRequested(TaskRecord record) implements CancelAnswer {
    /** Checks that the record is RUNNING. */
    public StopRequested {
      require(record, TaskStatus.RUNNING);
    }
  }

  /** The task had finished: {@code record} is it, unchanged. */
  record AlreadyFinished(TaskRecord record) implements CancelAnswer {
    /** Checks that the record is finished. */
    public AlreadyFinished {
      Objects.requireNonNull(record, "record");
      if (record.info().status().isLive()) {
        throw new IllegalArgumentException("task " + record.id() + " is "
            + record.info().status() + ", not finished");
      }
    }
  }

  /**
   * The answer for a task that was {@code before} and is {@code after} now (as a store that
   * read both in one transaction knows them).
   */
  static CancelAnswer of(TaskStatus before, TaskRecord after) {
    return switch (before) {
      case WAITING -> new Cancelled(after);
      case RUNNING -> new StopRequested(after);
      case SUCCESS, FAILURE, CANCELLED -> new AlreadyFinished(after);
    };
  }

  private static void require(TaskRecord record, TaskStatus status) {
    Objects.requireNonNull(record, "record");
    if (record.info().status() != status) {
      throw new IllegalArgumentException("task " + record.id() + " is "
          + record.info().status() + ", not " + status);
    }
  }
}
