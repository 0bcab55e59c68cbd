package io.errand.api;

import java.time.Instant;

/**
 * A supervised key at one moment.
 *
 * @param supervisor the supervisor
 * @param key        the key
 * @param state      where it is
 * @param args       its arguments
 * @param since      when it entered this state
 * @param restarts   how many times it was restarted since it was last put
 * @param lastError  why its last instance failed, or null
 * @param restartAt  when it restarts (RESTARTING only), or null
 * @param message    the running instance's latest progress message; never null
 */
public record KeyStatus(String supervisor, String key, KeyState state, Object args, Instant since,
    int restarts, TaskError lastError, Instant restartAt, String message) {
  /** Takes a null message as empty. */
  public KeyStatus {
    message = message == null ? "" : message;
  }

  /** Whether an instance is live (starting, running or stopping). */
  public boolean isLive() {
    return state == KeyState.STARTING || state == KeyState.RUNNING || state == KeyState.STOPPING;
  }
}
