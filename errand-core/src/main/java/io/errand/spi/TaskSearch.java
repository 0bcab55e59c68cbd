package io.errand.spi;

import io.errand.api.FailureGroup;
import io.errand.api.InvalidTaskException;
import io.errand.api.Page;
import io.errand.api.TaskFilter;
import io.errand.api.TaskQuery;
import java.util.List;

/**
 * A store's searches over its tasks, for the people operating it: pages of tasks matching a
 * {@link TaskFilter}, their count, and failed tasks grouped by the error they ended with. Each
 * runs in the store (in SQL for the SQL stores), so its cost does not grow with what a caller
 * holds: a page is at most its limit, a count and a grouping are one answer.
 */
public interface TaskSearch {

  /**
   * Tasks matching {@code filter}, newest (highest id) first, at most {@code limit}, older than
   * {@code cursor} (0: from the newest).
   *
   * @throws io.errand.api.InvalidTaskException for a limit outside 1..1000 or a negative cursor
   */
  Page<TaskRecord> find(TaskFilter filter, int limit, long cursor);

  /** How many tasks match {@code filter}. */
  long count(TaskFilter filter);

  /**
   * The FAILURE tasks matching {@code filter} (its status is ignored), grouped by the type and
   * message of the error each ended with: the {@code limit} largest groups, largest first (then
   * the newest latest task first).
   *
   * @throws io.errand.api.InvalidTaskException if {@code limit} is outside 1..1000
   */
  List<FailureGroup> failures(TaskFilter filter, int limit);

  /**
   * Checks a page request as {@link #find} and {@link #failures} take it.
   *
   * @throws InvalidTaskException for a limit outside 1..1000 or a negative cursor
   */
  static void checkPage(int limit, long cursor) {
    if (limit < 1 || limit > TaskQuery.MAX_LIMIT) {
      throw new InvalidTaskException("limit must be between 1 and " + TaskQuery.MAX_LIMIT
          + ", was " + limit);
    }
    if (cursor < 0) {
      throw new InvalidTaskException("cursor must be >= 0, was " + cursor);
    }
  }
}
