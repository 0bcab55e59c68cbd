package io.errand.spi;

import java.util.Objects;

/**
 * The answer to a fenced change of a running attempt ({@link Tasks#finish},
 * {@link Tasks#reschedule}): the task after the change, or nothing changed because the task was
 * not RUNNING that attempt any more.
 */
public sealed interface Change {
  /** The attempt was fenced out: nothing changed. */
  Change FENCED_OUT = new FencedOut();

  /** The change was made; {@code record} is the task after it. */
  record Changed(TaskRecord record) implements Change {
    /** Checks that there is a record. */
    public Changed {
      Objects.requireNonNull(record, "record");
    }
  }

  /** The task was not RUNNING the given attempt (or does not exist); use {@link #FENCED_OUT}. */
  record FencedOut() implements Change {}

  /** {@link Changed} of {@code record}, or {@link #FENCED_OUT} when it is null. */
  static Change ofNullable(TaskRecord record) {
    return record == null ? FENCED_OUT : new Changed(record);
  }
}
