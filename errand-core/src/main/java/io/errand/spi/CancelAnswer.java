package io.errand.spi;

import io.errand.api.TaskStatus;

/**
 * What {@link TaskStore#requestCancel} found and did.
 *
 * @param found  whether the task exists
 * @param before its status before the request (null if not found)
 * @param record the task after the request (null if not found): CANCELLED when it was waiting;
 *               RUNNING with {@code cancelRequested} when it was running; unchanged if finished
 */
public record CancelAnswer(boolean found, TaskStatus before, TaskRecord record) {
  /** No such task. */
  public static final CancelAnswer NOT_FOUND = new CancelAnswer(false, null, null);
}
