package io.errand.spi;

import io.errand.api.TaskError;

/** How a running attempt ended for good. */
public sealed interface Outcome {
  /** The handler returned {@code result}: SUCCESS. */
  record Succeeded(Object result) implements Outcome {}

  /** The last attempt failed with {@code error}: FAILURE. */
  record Failed(TaskError error) implements Outcome {}

  /**
   * The attempt was cancelled for {@code reason}: CANCELLED. {@code error} is set when the
   * attempt also failed in a way worth keeping (for example it was abandoned); else null.
   * {@code started} says whether the handler began: when it did not (the cancel came between
   * the claim and the start), the attempt is not charged, so the task's attempt goes back to
   * what it was before the claim, as a requeue at shutdown does.
   */
  record Cancelled(String reason, TaskError error, boolean started) implements Outcome {
    /** An attempt whose handler started, cancelled. */
    public Cancelled(String reason, TaskError error) {
      this(reason, error, true);
    }
  }
}
