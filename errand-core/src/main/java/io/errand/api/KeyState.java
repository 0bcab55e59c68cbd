package io.errand.api;

/** Where a supervised key is. */
public enum KeyState {
  /** An instance is being started. */
  STARTING,
  /** An instance runs. */
  RUNNING,
  /** Kept, but not running until resumed (the seed's "disabled"). */
  PAUSED,
  /** Its instance ended and a new one starts at {@code restartAt}. */
  RESTARTING,
  /** Its instance is being stopped. */
  STOPPING,
  /** Its instance ended normally and the restart policy does not restart it. */
  STOPPED,
  /** It crashed beyond its restart budget (or with restarts off); stays so until put again. */
  FAILED
}
