package io.errand.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Failed tasks that ended with the same error: what the triage view lists, largest first.
 *
 * @param type       the type of the error the tasks ended with ({@link TaskError#type()})
 * @param message    its message
 * @param count      how many FAILURE tasks ended with it
 * @param latestTask the id of the newest of them
 * @param latestAt   when the newest of them ended; null if unknown
 */
public record FailureGroup(String type, String message, long count, long latestTask,
    Instant latestAt) {
  /** Checks type and message are given and the count is positive. */
  public FailureGroup {
    Objects.requireNonNull(type, "type");
    message = message == null ? "" : message;
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
  }
}
