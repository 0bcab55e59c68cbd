package io.errand.sqlite;

import io.errand.api.InvalidTaskException;
import io.errand.api.TaskError;
import io.errand.spi.Outcome;
import io.errand.spi.PayloadLimit;
import io.errand.spi.StoredErrors;
import java.time.Instant;

/**
 * Turns how an attempt ended into the writer's change. The payloads (result, errors) are
 * encoded here, on the caller's thread, so the writer only runs the statement.
 */
final class AttemptEnds {
  private final Writes writes;
  private final PayloadLimit payloads;

  AttemptEnds(Writes writes, PayloadLimit payloads) {
    this.writes = writes;
    this.payloads = payloads;
  }

  /**
   * The change that ends attempt {@code attempt} of task {@code id} with {@code outcome}. A
   * result too large to keep cannot be refused to anyone (the work is done), so the task fails
   * instead, its error naming the size and the limit.
   */
  Writer.Op<Row> of(long id, int attempt, Outcome outcome, Instant at) {
    long when = Row.micros(at);
    return switch (outcome) {
      case Outcome.Succeeded s -> {
        String result = payloads.codec().encode(s.result());
        String tooLarge = payloads.tooLarge(result, "the result of task " + id);
        if (tooLarge != null) {
          TaskError error = new TaskError(attempt, InvalidTaskException.class.getName(),
              tooLarge, at);
          String encoded = StoredErrors.encode(error);
          yield tx -> writes.fail(tx, id, attempt, encoded, tooLarge, when);
        }
        yield tx -> writes.succeed(tx, id, attempt, result, when);
      }
      case Outcome.Failed f -> {
        String encoded = StoredErrors.encode(f.error());
        yield tx -> writes.fail(tx, id, attempt, encoded, f.error().message(), when);
      }
      case Outcome.Cancelled c -> {
        String error = c.error() == null ? null : StoredErrors.encode(c.error());
        yield tx -> writes.cancelled(tx, id, attempt, c.reason(), error, c.started(), when);
      }
    };
  }
}
