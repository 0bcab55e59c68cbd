package io.errand.spi;

import java.util.Objects;

/**
 * The answer to {@link Tasks#finishAndClaim}.
 *
 * @param ended the end of the attempt, as {@link Tasks#finish} answers
 * @param next  the task claimed next, as {@link Tasks#claim} answers
 */
public record EndAndNext(Change ended, Claim next) {
  /** Checks that both answers are there. */
  public EndAndNext {
    Objects.requireNonNull(ended, "ended");
    Objects.requireNonNull(next, "next");
  }
}
