package io.errand.api;

/**
 * A submit was refused because one of its values is not acceptable (arguments of the wrong
 * type, a negative delay, a blank key, an id already taken...). The message names the value
 * and what is allowed. Nothing was added. {@link PayloadEncodingException} is the one kind with
 * fields of its own: arguments that cannot be written as JSON.
 */
public class InvalidTaskException extends ErrandException {
  private static final long serialVersionUID = 1L;

  /** {@code message} names the bad value and the allowed range. */
  public InvalidTaskException(String message) {
    super("invalid_task", message);
  }
}
