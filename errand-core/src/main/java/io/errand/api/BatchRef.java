package io.errand.api;

import java.util.List;

/**
 * A batch or chain as submitted: its group id and its tasks' ids in submit order.
 *
 * @param group the group id, for {@link Errand#batch(long)} and {@link Errand#cancelBatch}
 * @param ids      the tasks' ids
 * @param callback the id of the batch's {@link BatchCallback} task, or 0 if it has none
 */
public record BatchRef(long group, List<Long> ids, long callback) {
  /** Copies the ids, so the record stays unchanged. */
  public BatchRef {
    ids = List.copyOf(ids);
  }

  /** A batch or chain without a callback. */
  public BatchRef(long group, List<Long> ids) {
    this(group, ids, 0);
  }
}
