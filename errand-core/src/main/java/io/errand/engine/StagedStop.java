package io.errand.engine;

import io.errand.api.StopTimeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a supervised instance in the three stages of its {@link StopTimeouts} (seed 001's
 * 5 s / 10 s / 3 s): ask it to stop (checkpoint throws, onCancel callbacks run), then interrupt
 * it, then interrupt it once more (a handler may swallow the first). Waits are real time: the
 * caller holds the key's transition until the instance is gone or abandoned.
 */
final class StagedStop {
  private static final Logger log = LoggerFactory.getLogger(StagedStop.class);

  private StagedStop() {}

  /**
   * Stops {@code inst} for {@code reason}; true if its handler returned within the stages,
   * false if it was abandoned (still running, no longer the key's).
   */
  static boolean stop(KeyInstance inst, String reason, StopTimeouts t, String supervisor) {
    inst.requestStop(reason);
    if (inst.awaitEnd(t.graceful())) {
      return true;
    }
    inst.interrupt();
    if (inst.awaitEnd(t.forced())) {
      return true;
    }
    inst.interrupt();
    if (inst.awaitEnd(t.last())) {
      return true;
    }
    try (TaskMdc mdc = TaskMdc.open(inst.id, supervisor, inst.attempt, inst.slot.key)) {
      log.warn("instance {} of key '{}' (supervisor '{}') did not stop within {} ({}); it is "
          + "abandoned", inst.id, inst.slot.key, supervisor, t.total(), reason);
    }
    return false;
  }
}
