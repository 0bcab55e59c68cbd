package io.errand.engine;

import io.errand.api.KeyState;
import io.errand.api.KeyStatus;
import io.errand.api.TaskError;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One supervised key. Every field but {@link #snapshot} and {@link #message} is guarded by
 * {@link #lock}, which is held for a whole transition (stop the old instance, start the new), so
 * two instances of one key can never both be current. Readers use the published snapshot and
 * never wait behind a transition.
 */
final class KeySlot {
  final String key;
  final ReentrantLock lock = new ReentrantLock();
  final ArrayDeque<Instant> restartTimes = new ArrayDeque<>();
  KeyState state = KeyState.STOPPED;
  Object args;
  Instant since;
  int restarts;
  TaskError lastError;
  Instant restartAt;
  volatile KeyInstance current;
  Timers.Handle restartTimer;
  long generation;
  boolean removed;
  volatile String message;
  private volatile KeyStatus snapshot;

  KeySlot(String key) {
    this.key = key;
  }

  /** Moves to {@code next} at {@code now} and publishes the new status. Call under the lock. */
  void moveTo(KeyState next, Instant now, String supervisor) {
    state = next;
    since = now;
    if (next != KeyState.RESTARTING) {
      restartAt = null;
    }
    publish(supervisor);
  }

  /** Publishes the current fields for lock-free readers. Call under the lock. */
  void publish(String supervisor) {
    snapshot = new KeyStatus(supervisor, key, state, args, since, restarts, lastError, restartAt,
        message);
  }

  /** The latest published status, with the running instance's latest message. */
  KeyStatus status() {
    KeyStatus s = snapshot;
    String m = message;
    return s == null || m == null || m.equals(s.message()) ? s
        : new KeyStatus(s.supervisor(), s.key(), s.state(), s.args(), s.since(), s.restarts(),
            s.lastError(), s.restartAt(), m);
  }

  void cancelRestart() {
    if (restartTimer != null) {
      restartTimer.cancel();
      restartTimer = null;
    }
    generation++;
  }
}
