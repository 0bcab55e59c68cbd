package io.errand.api;

/**
 * A schedule's spec text or setting is not acceptable: a cron field out of range, an unknown
 * name or zone, a malformed interval. Thrown when the spec is parsed or built, never later. Its
 * message names the field, the bad value, what is allowed and where the mistake is, e.g.
 * {@code cron '0 61 * * *': minute field '61' is out of range 0-59 (column 3)}; the same facts
 * are available one by one for the HTTP API and the config loader. Its {@link #code()} is
 * {@code invalid_spec}, like every {@link InvalidSpecException}.
 */
public final class InvalidScheduleException extends InvalidSpecException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;
  private final int column;

  /**
   * An error in {@code field} (e.g. {@code minute}, {@code zone}, {@code interval}), whose bad
   * text is {@code value}, found at 1-based {@code column} of the spec text (0 when the value
   * did not come from a text). {@code message} is the whole sentence shown to people.
   */
  InvalidScheduleException(String message, String field, String value, int column) {
    super(message);
    this.field = field;
    this.value = value;
    this.column = column;
  }

  /** The field or setting that is wrong, e.g. {@code minute}, {@code day-of-week}, {@code zone}. */
  public String field() {
    return field;
  }

  /** The text that was refused, as given. */
  public String value() {
    return value;
  }

  /**
   * The 1-based column of the bad text within the text the message quotes (for a cron, the
   * expression after any {@code CRON_TZ=} prefix), or 0 when no single place is at fault.
   */
  public int column() {
    return column;
  }
}
