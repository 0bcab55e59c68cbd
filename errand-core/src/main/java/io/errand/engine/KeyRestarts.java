package io.errand.engine;

import io.errand.api.EventType;
import io.errand.api.KeyState;
import io.errand.api.RestartPolicy;
import io.errand.api.SupervisorSpec;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A supervisor's restart policy applied to its keys: whether an ended instance's key restarts,
 * when (the backoff), and when it has restarted too often within the window and goes FAILED.
 */
final class KeyRestarts {
  private final RunnerContext ctx;
  private final SupervisorSpec<?> spec;
  private final Consumer<KeySlot> startInstance;

  /** {@code startInstance} starts a key's new instance; it is called under the key's lock. */
  KeyRestarts(RunnerContext ctx, SupervisorSpec<?> spec, Consumer<KeySlot> startInstance) {
    this.ctx = ctx;
    this.spec = spec;
    this.startInstance = startInstance;
  }

  /**
   * The instance of {@code slot}'s key ended (crashed or not) at {@code now}: restarts the key
   * after the policy's backoff, or stops it. Call under the key's lock. Returns why it went
   * FAILED, or null if it did not.
   */
  String decide(KeySlot slot, boolean crashed, Instant now) {
    RestartPolicy policy = spec.restart();
    boolean wanted = policy.mode() == RestartPolicy.Mode.ALWAYS
        || (policy.mode() == RestartPolicy.Mode.ON_FAILURE && crashed);
    if (!wanted || ctx.lifecycle().shuttingDown()) {
      slot.moveTo(crashed ? KeyState.FAILED : KeyState.STOPPED, now, spec.name());
      if (crashed) {
        String why = ctx.lifecycle().shuttingDown() ? "crashed while Errand shuts down"
            : "crashed and restarts are off";
        ctx.events().key(EventType.KEY_FAILED, spec.name(), slot.key, 0, slot.restarts + 1,
            "crashed and restarts are off");
        return why;
      }
      return null;
    }
    while (!slot.restartTimes.isEmpty()
        && !slot.restartTimes.peekFirst().isAfter(now.minus(policy.window()))) {
      slot.restartTimes.pollFirst();
    }
    if (slot.restartTimes.size() >= policy.budget()) {
      slot.moveTo(KeyState.FAILED, now, spec.name());
      String why = "restarted " + policy.budget() + " times within " + policy.window()
          + "; stays down until put again";
      ctx.events().key(EventType.KEY_FAILED, spec.name(), slot.key, 0, slot.restarts + 1, why);
      return why;
    }
    slot.restartTimes.addLast(now);
    slot.restarts++;
    Instant at = now.plus(policy.backoff().delayBefore(slot.restarts + 1));
    slot.restartAt = at;
    slot.moveTo(KeyState.RESTARTING, now, spec.name()); // publishes restartAt with the state
    long generation = ++slot.generation;
    ctx.events().key(EventType.KEY_RESTARTING, spec.name(), slot.key, 0, slot.restarts + 1,
        "restarts at " + at);
    slot.restartTimer = ctx.timers().schedule(at,
        () -> Thread.ofVirtual().start(() -> restartDue(slot, generation)));
    return null;
  }

  private void restartDue(KeySlot slot, long generation) {
    slot.lock.lock();
    try {
      if (!slot.removed && slot.generation == generation && slot.state == KeyState.RESTARTING
          && !ctx.lifecycle().shuttingDown()) {
        slot.restartTimer = null;
        startInstance.accept(slot);
      }
    } finally {
      slot.lock.unlock();
    }
  }
}
