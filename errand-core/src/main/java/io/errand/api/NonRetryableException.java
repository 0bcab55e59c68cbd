package io.errand.api;

/**
 * Thrown by a handler (or used to wrap a cause) to fail the task at once, whatever attempts are
 * left: for errors another attempt cannot fix, such as invalid arguments or a missing account.
 */
public class NonRetryableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Fails the task with {@code message}. */
  public NonRetryableException(String message) {
    super(message);
  }

  /** Fails the task with {@code message}, caused by {@code cause}. */
  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
