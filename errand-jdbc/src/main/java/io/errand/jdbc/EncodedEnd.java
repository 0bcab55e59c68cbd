package io.errand.jdbc;

import io.errand.api.InvalidTaskException;
import io.errand.api.TaskError;
import io.errand.spi.Outcome;
import io.errand.spi.PayloadLimit;
import io.errand.spi.StoredErrors;
import java.time.Instant;

/**
 * How an attempt ends, its payloads encoded as JSON on the caller's thread, before any
 * connection is taken.
 *
 * @param outcome the end to record: the given one, or a failure when its result is too large
 * @param result  a success's result as JSON, else null
 * @param error   the error to append as JSON, or null
 * @param message the task's message after the end (a failure's or a cancel's), or null
 */
public record EncodedEnd(Outcome outcome, String result, String error, String message) {

  /**
   * The end of attempt {@code attempt} of task {@code id} with {@code outcome}. A result too
   * large to keep cannot be refused to anyone (the work is done), so the task fails instead, its
   * error (type {@link InvalidTaskException}) naming the size and the limit; so does a result
   * that cannot be written as JSON (type {@link io.errand.api.PayloadEncodingException}).
   */
  public static EncodedEnd of(long id, int attempt, Outcome outcome, Instant at,
      PayloadLimit payloads) {
    return switch (outcome) {
      case Outcome.Succeeded s -> {
        String result;
        try {
          result = payloads.codec().encode(s.result(), "the result of task " + id);
        } catch (InvalidTaskException unwritable) { // as too large: the task fails, saying why
          TaskError error = new TaskError(attempt, unwritable.getClass().getName(),
              unwritable.getMessage(), at);
          yield new EncodedEnd(new Outcome.Failed(error), null, StoredErrors.encode(error),
              unwritable.getMessage());
        }
        String tooLarge = payloads.tooLarge(result, "the result of task " + id);
        if (tooLarge != null) {
          TaskError error = new TaskError(attempt, InvalidTaskException.class.getName(),
              tooLarge, at);
          yield new EncodedEnd(new Outcome.Failed(error), null, StoredErrors.encode(error),
              tooLarge);
        }
        yield new EncodedEnd(s, result, null, null);
      }
      case Outcome.Failed f -> new EncodedEnd(f, null, StoredErrors.encode(f.error()),
          f.error().message());
      case Outcome.Cancelled c -> new EncodedEnd(c, null,
          c.error() == null ? null : StoredErrors.encode(c.error()), c.reason());
    };
  }
}
