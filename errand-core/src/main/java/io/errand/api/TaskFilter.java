package io.errand.api;

import java.time.Instant;

/**
 * Which tasks a search, a count, a failure grouping or a bulk action takes: every part left
 * null matches every task.
 *
 * @param queue  only this queue
 * @param status only this status
 * @param text   only tasks whose id is this number, or whose key, arguments (as JSON) or
 *               errors (type, message, causes, trace, output) contain this text, case
 *               ignored for ASCII letters; blank means none
 * @param from   only tasks created at or after this
 * @param to     only tasks created before this
 */
public record TaskFilter(String queue, TaskStatus status, String text, Instant from,
    Instant to) {
  /** The longest search text, in characters. */
  public static final int MAX_TEXT = 200;

  /** A filter matching every task. */
  public static final TaskFilter ALL = new TaskFilter(null, null, null, null, null);

  /**
   * Checks the values; a blank text becomes null, and a text is stripped.
   *
   * @throws InvalidTaskException if the text is longer than {@link #MAX_TEXT} or {@code from}
   *     is not before {@code to}
   */
  public TaskFilter {
    text = text == null || text.isBlank() ? null : text.strip();
    if (text != null && text.length() > MAX_TEXT) {
      throw new InvalidTaskException("text must be at most " + MAX_TEXT
          + " characters, was " + text.length());
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidTaskException("from (" + from + ") must be before to (" + to + ")");
    }
  }

  /** The id the text names, when it is a whole positive number; else 0. */
  public long textAsId() {
    if (text == null || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
      return 0;
    }
    return Long.parseLong(text);
  }

  /** The text in lower case (ASCII letters only), or null. */
  public String lowerText() {
    if (text == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(text.length());
    text.chars().forEach(c -> b.append(c < 128 ? (char) Character.toLowerCase(c) : (char) c));
    return b.toString();
  }

  /** Whether a task created at {@code createdAt} is inside the time range. */
  public boolean inRange(Instant createdAt) {
    return (from == null || !createdAt.isBefore(from)) && (to == null || createdAt.isBefore(to));
  }

  @Override
  public String toString() {
    return "TaskFilter[queue=" + queue + ", status=" + status + ", text="
        + (text == null ? null : "'" + text + "'") + ", from=" + from + ", to=" + to + "]";
  }
}
