package io.errand.engine;

import io.errand.api.DurationText;
import io.errand.api.EventType;
import io.errand.api.InvalidTaskException;
import io.errand.api.KeyHandler;
import io.errand.api.KeyState;
import io.errand.api.KeyStatus;
import io.errand.api.QueueSpec;
import io.errand.api.ShuttingDownException;
import io.errand.api.Supervisor;
import io.errand.api.SupervisorSpec;
import io.errand.api.TaskError;
import io.errand.api.TaskStoppedException;
import io.errand.api.UnknownKeyException;
import io.errand.spi.StoredKey;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One keyed supervisor. A transition of a key (start, replace, pause, resume, remove, restart)
 * holds that key's lock from the stop of the old instance to the start of the new one; an
 * instance that ends by itself takes the lock to decide on a restart, and only while it is
 * still the key's current instance. Hence never two live instances per key.
 */
final class SupervisorRunner implements Supervisor {
  private final RunnerContext ctx;
  private final SupervisorSpec<?> spec;
  @SuppressWarnings("rawtypes")
  private final KeyHandler handler;
  private final TaskStore store;
  private final ConcurrentHashMap<String, KeySlot> slots = new ConcurrentHashMap<>();
  private final AtomicLong instances = new AtomicLong();
  final LongAdder abandoned = new LongAdder();
  private final KeyRestarts restarts;

  SupervisorRunner(RunnerContext ctx, SupervisorSpec<?> spec, TaskStore store) {
    this.ctx = ctx;
    this.spec = spec;
    this.handler = spec.handler();
    this.store = store;
    this.restarts = new KeyRestarts(ctx, spec, this::startInstance);
  }

  /** Starts every saved key that is not paused (after a restart, with a durable store). */
  void start() {
    for (StoredKey k : store.keys().of(spec.name())) {
      KeySlot slot = slots.computeIfAbsent(k.key(), KeySlot::new);
      slot.lock.lock();
      try {
        slot.args = k.args();
        if (k.paused()) {
          slot.moveTo(KeyState.PAUSED, now(), name());
        } else {
          startInstance(slot);
        }
      } finally {
        slot.lock.unlock();
      }
    }
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public KeyStatus put(String key, Object args) {
    return apply(key, args, false);
  }

  @Override
  public KeyStatus replace(String key, Object args) {
    return apply(key, args, true);
  }

  private KeyStatus apply(String key, Object args, boolean force) {
    checkKey(key);
    if (args != null && !spec.argsType().isInstance(args)) {
      throw new InvalidTaskException("supervisor '" + name() + "' takes arguments of type "
          + spec.argsType().getName() + ", got " + args.getClass().getName());
    }
    while (true) {
      refuseIfShuttingDown(key);
      KeySlot slot = slots.computeIfAbsent(key, KeySlot::new);
      slot.lock.lock();
      try {
        if (slot.removed) {
          continue; // removed while we waited for its lock: use a fresh slot
        }
        refuseIfShuttingDown(key);
        if (!force && slot.state == KeyState.RUNNING && Objects.equals(slot.args, args)) {
          return slot.status();
        }
        boolean paused = slot.state == KeyState.PAUSED;
        stopCurrent(slot, "replaced by a new put");
        slot.cancelRestart();
        slot.args = args;
        slot.restarts = 0;
        slot.restartTimes.clear();
        slot.lastError = null;
        store.keys().save(new StoredKey(name(), key, args, paused));
        if (paused) {
          slot.moveTo(KeyState.PAUSED, now(), name());
        } else {
          startInstance(slot);
        }
        return slot.status();
      } finally {
        slot.lock.unlock();
      }
    }
  }

  @Override
  public boolean remove(String key) {
    KeySlot slot = slots.get(key);
    if (slot == null) {
      return false;
    }
    slot.lock.lock();
    try {
      if (slot.removed) {
        return false;
      }
      stopCurrent(slot, "removed");
      slot.cancelRestart();
      slot.removed = true;
      slots.remove(key, slot);
      store.keys().remove(name(), key);
      slot.moveTo(KeyState.STOPPED, now(), name());
      return true;
    } finally {
      slot.lock.unlock();
    }
  }

  @Override
  public KeyStatus pause(String key) {
    return onExistingKey(key, slot -> {
      if (slot.state != KeyState.PAUSED) {
        stopCurrent(slot, "paused");
        slot.cancelRestart();
        store.keys().save(new StoredKey(name(), key, slot.args, true));
        slot.moveTo(KeyState.PAUSED, now(), name());
      }
    });
  }

  @Override
  public KeyStatus resume(String key) {
    return onExistingKey(key, slot -> {
      if (slot.state == KeyState.PAUSED) {
        refuseIfShuttingDown(key);
        store.keys().save(new StoredKey(name(), key, slot.args, false));
        startInstance(slot);
      }
    });
  }

  /** Runs {@code transition} under the lock of existing key {@code key}; returns its status. */
  private KeyStatus onExistingKey(String key, Consumer<KeySlot> transition) {
    KeySlot slot = existing(key);
    slot.lock.lock();
    try {
      if (slot.removed) {
        throw new UnknownKeyException(name(), key);
      }
      transition.accept(slot);
      return slot.status();
    } finally {
      slot.lock.unlock();
    }
  }

  @Override
  public Optional<KeyStatus> status(String key) {
    KeySlot slot = slots.get(key);
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.status());
  }

  @Override
  public List<KeyStatus> list() {
    List<KeyStatus> all = new ArrayList<>();
    for (KeySlot slot : slots.values()) {
      KeyStatus s = slot.status();
      if (s != null) {
        all.add(s);
      }
    }
    all.sort(Comparator.comparing(KeyStatus::key));
    return all;
  }

  // ---- instances ----

  /** Starts a new instance of {@code slot}'s key. Call under the key's lock. */
  private void startInstance(KeySlot slot) {
    Instant now = now();
    KeyInstance inst = new KeyInstance(this, slot, instances.incrementAndGet(), slot.args,
        slot.restarts + 1, now);
    slot.current = inst;
    slot.message = null;
    slot.moveTo(KeyState.STARTING, now, name());
    String threadName = "errand-" + name() + "-" + slot.key;
    inst.start(spec.threads() == QueueSpec.Threads.VIRTUAL ? Thread.ofVirtual().name(threadName)
        : Thread.ofPlatform().name(threadName).daemon());
    slot.moveTo(KeyState.RUNNING, now, name());
    ctx.events().key(EventType.KEY_STARTED, name(), slot.key, inst.id, inst.attempt, "");
    if (spec.heartbeatTimeout() != null) {
      watchHeartbeat(inst, now.plus(spec.heartbeatTimeout()));
    }
  }

  /**
   * Stops the key's current instance in the three stages of its stop time-outs. Call under the
   * key's lock. The key is no longer live afterwards, whether the instance stopped or was
   * abandoned.
   */
  private void stopCurrent(KeySlot slot, String reason) {
    KeyInstance inst = slot.current;
    if (inst == null) {
      return;
    }
    slot.moveTo(KeyState.STOPPING, now(), name());
    boolean stopped = stopInStages(inst, reason);
    slot.current = null;
    ctx.events().key(EventType.KEY_STOPPED, name(), slot.key, inst.id, inst.attempt,
        stopped ? reason : reason + " (did not stop within " + spec.stopTimeouts().total()
            .toMillis() + " ms: abandoned)");
  }

  /** Stops {@code inst} in stages; counts it abandoned if it outlives them. */
  private boolean stopInStages(KeyInstance inst, String reason) {
    boolean stopped = StagedStop.stop(inst, reason, spec.stopTimeouts(), name());
    if (!stopped) {
      abandoned.increment();
      ctx.lifecycle().abandoned.increment();
    }
    return stopped;
  }

  /** Called on the instance's thread once its handler returned (or by a watchdog that gave up). */
  void instanceEnded(KeyInstance inst, Throwable failure) {
    if (!inst.endHandled.compareAndSet(false, true)) {
      return;
    }
    if (inst.stopRequested() && inst.crashReason() == null) {
      return; // whoever asked it to stop owns the key's transition
    }
    KeySlot slot = inst.slot;
    String failedWhy = null; // the key went FAILED: warned once the lock is released
    TaskError lastError = null;
    slot.lock.lock();
    try {
      if (slot.current != inst) {
        return;
      }
      slot.current = null;
      Instant now = now();
      boolean crashed = inst.crashReason() != null
          || (failure != null && !(failure instanceof TaskStoppedException));
      if (crashed) {
        slot.lastError = inst.crashReason() != null
            ? new TaskError(inst.attempt, "unhealthy", inst.crashReason(), now)
            : ctx.errorOf().of(inst.attempt, failure, now);
        ctx.events().key(EventType.KEY_CRASHED, name(), slot.key, inst.id, inst.attempt,
            slot.lastError.toString());
      } else {
        ctx.events().key(EventType.KEY_STOPPED, name(), slot.key, inst.id, inst.attempt,
            "the handler returned");
      }
      failedWhy = restarts.decide(slot, crashed, now);
      lastError = slot.lastError;
    } finally {
      slot.lock.unlock();
    }
    if (failedWhy != null) {
      ctx.failures().keyFailed(name(), slot.key, inst.id, inst.attempt, lastError,
          failedWhy);
    }
  }

  /** An instance reported itself (or its heartbeat says it is) unhealthy: stop and restart it. */
  void unhealthy(KeyInstance inst, String reason) {
    if (!inst.markUnhealthy(reason) || inst.hasEnded()) {
      return;
    }
    Thread.ofVirtual().name("errand-" + name() + "-stop-" + inst.id).start(() -> {
      if (!stopInStages(inst, "unhealthy: " + reason)) {
        instanceEnded(inst, null); // abandoned: restart as if it had ended
      }
    });
  }

  private void watchHeartbeat(KeyInstance inst, Instant checkAt) {
    ctx.timers().schedule(checkAt, () -> {
      if (inst.hasEnded() || inst.stopRequested() || inst.slot.current != inst) {
        return;
      }
      Instant due = inst.lastHeartbeat.plus(spec.heartbeatTimeout());
      if (!due.isAfter(now())) {
        unhealthy(inst, "no heartbeat for " + DurationText.format(spec.heartbeatTimeout()));
      } else {
        watchHeartbeat(inst, due);
      }
    });
  }

  /** Stops every key's instance for shutdown; keys stay saved. Returns how many it stopped. */
  int stopAll() {
    List<Thread> stoppers = new ArrayList<>();
    LongAdder stopped = new LongAdder();
    for (KeySlot slot : slots.values()) {
      stoppers.add(Thread.ofVirtual().start(() -> {
        slot.lock.lock();
        try {
          slot.cancelRestart();
          if (slot.current != null) {
            stopCurrent(slot, "Errand is shutting down");
            stopped.increment();
            slot.moveTo(KeyState.STOPPED, now(), name());
          }
        } finally {
          slot.lock.unlock();
        }
      }));
    }
    Duration bound = spec.stopTimeouts().total().plusSeconds(5);
    for (Thread t : stoppers) {
      try {
        t.join(bound);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return stopped.intValue();
  }

  // ---- small helpers ----

  SupervisorSpec<?> spec() {
    return spec;
  }

  @SuppressWarnings("rawtypes")
  KeyHandler handler() {
    return handler;
  }

  /** Whether the engine is shutting down. */
  boolean shuttingDown() {
    return ctx.lifecycle().shuttingDown();
  }

  InstantSource clock() {
    return ctx.clock();
  }

  private Instant now() {
    return ctx.clock().instant();
  }

  private KeySlot existing(String key) {
    KeySlot slot = slots.get(key);
    if (slot == null) {
      throw new UnknownKeyException(name(), key);
    }
    return slot;
  }

  private void refuseIfShuttingDown(String key) {
    if (ctx.lifecycle().shuttingDown()) {
      throw new ShuttingDownException("put of key '" + key + "' on supervisor '" + name() + "'");
    }
    if (!ctx.lifecycle().started()) { // a put starts an instance: not before Errand.start()
      throw new IllegalStateException("put of key '" + key + "' on supervisor '" + name()
          + "' before the Errand is started: it was built with buildUnstarted(); call start()"
          + " first");
    }
  }

  private static void checkKey(String key) {
    if (key == null || key.isBlank() || key.length() > 512) {
      throw new InvalidTaskException("a key must be 1-512 characters and not blank, was "
          + (key == null ? "null" : "'" + key + "'"));
    }
  }
}
