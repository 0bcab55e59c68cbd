package io.errand.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What went wrong in one attempt: the exception's class and message, never its stack trace
 * (stack traces are logged, not stored).
 *
 * @param attempt the attempt that failed, from 1
 * @param type    the exception's class name, or {@code "timeout"} / {@code "abandoned"} for
 *                failures the engine itself declared
 * @param message a message a person can read; never null
 * @param at      when the attempt ended
 */
public record TaskError(int attempt, String type, String message, Instant at) {
  /** Checks the attempt is at least 1. */
  public TaskError {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    message = message == null ? "" : message;
  }

  /** The error of {@code failure} in attempt {@code attempt}. */
  public static TaskError of(int attempt, Throwable failure, Instant at) {
    String msg = failure.getMessage();
    return new TaskError(attempt, failure.getClass().getName(), msg == null ? "" : msg, at);
  }

  @Override
  public String toString() {
    return "attempt " + attempt + ": " + type + (message.isEmpty() ? "" : ": " + message);
  }
}
