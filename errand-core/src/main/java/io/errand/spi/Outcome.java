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
   */
  record Cancelled(String reason, TaskError error) implements Outcome {}
}
