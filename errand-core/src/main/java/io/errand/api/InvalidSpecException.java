package io.errand.api;

/**
 * A queue, supervisor or Errand setting is not acceptable. Thrown when the specification is
 * built, never later; the message names the setting, the bad value and what is allowed. A bad
 * schedule spec throws the subclass {@link InvalidScheduleException}, which also says where in
 * the text the mistake is.
 */
public sealed class InvalidSpecException extends ErrandException
    permits InvalidScheduleException {
  private static final long serialVersionUID = 1L;

  /** {@code message} names the setting, the value and what is allowed. */
  public InvalidSpecException(String message) {
    super("invalid_spec", message);
  }

  /** {@link Errand#LONGEST_DURATION} as messages say it. */
  static final String AT_MOST_LONGEST = "at most 36525 days (100 years)";

  /** Whether {@code d} is at most {@link Errand#LONGEST_DURATION}. */
  static boolean notTooLong(java.time.Duration d) {
    return d.compareTo(Errand.LONGEST_DURATION) <= 0;
  }

  static void require(boolean ok, String setting, Object value, String allowed) {
    if (!ok) {
      throw new InvalidSpecException(setting + " must be " + allowed + ", was " + value);
    }
  }
}
