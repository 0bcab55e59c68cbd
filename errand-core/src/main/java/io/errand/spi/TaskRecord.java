package io.errand.spi;

import io.errand.api.TaskInfo;
import java.util.Objects;

/**
 * A task as a store holds it: what users see, plus what only the engine needs.
 *
 * @param info            what users see
 * @param next            the next step when the task is a chain step, or 0
 * @param previousResult  the result of the step before, for a chain step; null otherwise
 * @param cancelRequested whether a cancel was asked while it was running
 * @param node            the node running it (RUNNING only), or null
 */
public record TaskRecord(TaskInfo info, long next, Object previousResult,
    boolean cancelRequested, String node) {
  public TaskRecord {
    Objects.requireNonNull(info, "info");
  }

  /** The task's id. */
  public long id() {
    return info.id();
  }
}
