package io.errand.engine;

import java.time.Duration;

/** What a handler decided for its own task through its context, in place of its result. */
sealed interface HandlerDecision {
  /** Run again after {@code delay}, the attempt not charged. */
  record Snooze(Duration delay) implements HandlerDecision {}

  /** End CANCELLED with {@code reason}, no retry. */
  record CancelSelf(String reason) implements HandlerDecision {}
}
