package io.errand.api;

/**
 * A queue, supervisor or Errand setting is not acceptable. Thrown when the specification is
 * built, never later; the message names the setting, the bad value and what is allowed.
 */
public final class InvalidSpecException extends ErrandException {
  private static final long serialVersionUID = 1L;

  /** {@code message} names the setting, the value and what is allowed. */
  public InvalidSpecException(String message) {
    super("invalid_spec", message);
  }

  /**
   * The longest duration a setting takes, 100 years: every time computed from one (a deadline,
   * a retry's time, a park in nanoseconds) then fits a long and every store.
   */
  static final java.time.Duration LONGEST = java.time.Duration.ofDays(36_525);
  /** {@link #LONGEST} as messages say it. */
  static final String AT_MOST_LONGEST = "at most 36525 days (100 years)";

  /** Whether {@code d} is at most {@link #LONGEST}. */
  static boolean notTooLong(java.time.Duration d) {
    return d.compareTo(LONGEST) <= 0;
  }

  static void require(boolean ok, String setting, Object value, String allowed) {
    if (!ok) {
      throw new InvalidSpecException(setting + " must be " + allowed + ", was " + value);
    }
  }
}
