package io.errand.spi;

import java.util.Objects;

/** The answer to {@link Tasks#claim}: the task claimed, or none due. */
public sealed interface Claim {
  /** No task of the queue was due. */
  Claim NONE_DUE = new NoneDue();

  /** The claimed task, now RUNNING on the claiming node with its attempt counted. */
  record Claimed(TaskRecord record) implements Claim {
    /** Checks that there is a record. */
    public Claimed {
      Objects.requireNonNull(record, "record");
    }
  }

  /** No task of the queue was due; use {@link Claim#NONE_DUE}. */
  record NoneDue() implements Claim {}

  /** {@link Claimed} of {@code record}, or {@link #NONE_DUE} when it is null. */
  static Claim ofNullable(TaskRecord record) {
    return record == null ? NONE_DUE : new Claimed(record);
  }
}
