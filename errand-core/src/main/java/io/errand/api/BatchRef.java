package io.errand.api;

import java.util.List;

/**
 * A batch or chain as submitted: its group id and its tasks' ids in submit order.
 *
 * @param group the group id, for {@link Errand#batch(long)} and {@link Errand#cancelBatch}
 * @param ids   the tasks' ids
 */
public record BatchRef(long group, List<Long> ids) {
  /** Copies the ids, so the record stays unchanged. */
  public BatchRef {
    ids = List.copyOf(ids);
  }
}
