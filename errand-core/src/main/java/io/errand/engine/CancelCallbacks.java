package io.errand.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for a handler's onCancel callbacks, of tasks and of supervised keys alike: one
 * that throws is logged and skipped, and the stop goes on (the callback is user code; its
 * failure must not stop the others nor reach the code that asked for the stop).
 */
final class CancelCallbacks {
  private static final Logger log = LoggerFactory.getLogger(CancelCallbacks.class);

  private CancelCallbacks() {}

  /** Runs {@code callback}; a throw is logged (the MDC says which task or key). */
  static void runGuarded(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      log.warn("an onCancel callback threw; the stop goes on", e);
    }
  }
}
