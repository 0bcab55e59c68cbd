package io.errand.sqlite;

import io.errand.jdbc.EncodedEnd;
import io.errand.spi.Outcome;
import io.errand.spi.PayloadLimit;
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
    EncodedEnd end = EncodedEnd.of(id, attempt, outcome, at, payloads);
    return switch (end.outcome()) {
      case Outcome.Succeeded s -> tx -> writes.succeed(tx, id, attempt, end.result(), when);
      case Outcome.Failed f -> tx -> writes.fail(tx, id, attempt, end.error(), end.message(),
          when);
      case Outcome.Cancelled c -> tx -> writes.cancelled(tx, id, attempt, c.reason(),
          end.error(), c.started(), when);
    };
  }
}
