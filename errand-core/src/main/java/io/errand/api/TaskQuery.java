package io.errand.api;

/**
 * A filter and page request for {@link Errand#list(TaskQuery)}: newest first.
 *
 * @param queue  only this queue, or null for all
 * @param status only this status, or null for all
 * @param limit  at most this many tasks, 1 to 1000
 * @param cursor only tasks older than this id (the {@link Page#nextCursor()} of the previous
 *               page), or 0 to start at the newest
 */
public record TaskQuery(String queue, TaskStatus status, int limit, long cursor) {
  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  /**
   * Checks the values.
   *
   * @throws InvalidTaskException for a limit outside 1..1000 or a negative cursor
   */
  public TaskQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidTaskException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    if (cursor < 0) {
      throw new InvalidTaskException("cursor must be >= 0, was " + cursor);
    }
  }

  /** The newest {@code limit} tasks of all queues. */
  public static TaskQuery newest(int limit) {
    return new TaskQuery(null, null, limit, 0);
  }

  /** This query restricted to {@code queue}. */
  public TaskQuery inQueue(String queue) {
    return new TaskQuery(queue, status, limit, cursor);
  }

  /** This query restricted to {@code status}. */
  public TaskQuery withStatus(TaskStatus status) {
    return new TaskQuery(queue, status, limit, cursor);
  }

  /** This query from {@code cursor} on. */
  public TaskQuery after(long cursor) {
    return new TaskQuery(queue, status, limit, cursor);
  }
}
