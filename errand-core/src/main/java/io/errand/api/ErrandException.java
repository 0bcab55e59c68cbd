package io.errand.api;

/**
 * The root of every exception Errand throws at its callers. Each subclass carries a stable
 * {@link #code()} that the HTTP layer and the CLI map to a status and show to people, and a
 * message that says what was wrong and what to do about it.
 */
public class ErrandException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  /** An error with a machine-readable {@code code} (e.g. {@code queue_full}). */
  public ErrandException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** An error with a machine-readable {@code code} and the failure that caused it. */
  public ErrandException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** A short, stable, snake_case name for this kind of error. */
  public String code() {
    return code;
  }
}
