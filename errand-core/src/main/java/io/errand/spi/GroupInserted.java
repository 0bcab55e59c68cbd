package io.errand.spi;

import java.util.List;

/**
 * The answer to a group insert.
 *
 * @param group the new group's id
 * @param ids   the tasks' ids, in the order given
 */
public record GroupInserted(long group, List<Long> ids) {
  public GroupInserted {
    ids = List.copyOf(ids);
  }
}
