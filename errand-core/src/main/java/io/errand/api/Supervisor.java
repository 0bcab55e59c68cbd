package io.errand.api;

import java.util.List;
import java.util.Optional;

/**
 * Keeps exactly one live instance per key (seed 001's one worker per account). Every method may
 * be called from any thread at any time; calls on one key are applied one after another, so
 * concurrent put, remove, pause and resume never leave two instances of a key running. Each
 * returns once its transition is done: a stop waits for the old instance (within the stop
 * time-outs), a start for the new one to begin.
 */
public interface Supervisor {

  /** Its name. */
  String name();

  /**
   * Starts {@code key} with {@code args}, or, if it exists, replaces it: stops the old instance,
   * then starts one with the new arguments. A key already running with equal arguments is left
   * alone; use {@link #replace} to restart it anyway. A paused key stays paused with the new
   * arguments. The key and its arguments are saved in the store.
   *
   * @throws InvalidTaskException     if {@code args} is not of the supervisor's argument type
   * @throws ShuttingDownException    if Errand is shutting down
   */
  KeyStatus put(String key, Object args);

  /** Like {@link #put}, but always stops and starts the instance, even with equal arguments. */
  KeyStatus replace(String key, Object args);

  /**
   * Stops {@code key}'s instance and forgets the key.
   *
   * @return false if there was no such key
   */
  boolean remove(String key);

  /**
   * Stops {@code key}'s instance but keeps the key, PAUSED, until {@link #resume}.
   *
   * @throws UnknownKeyException if there is no such key
   */
  KeyStatus pause(String key);

  /**
   * Starts a PAUSED key again (other states are returned as they are).
   *
   * @throws UnknownKeyException if there is no such key
   */
  KeyStatus resume(String key);

  /** The key's status, or empty if there is no such key. */
  Optional<KeyStatus> status(String key);

  /** Every key's status, sorted by key. */
  List<KeyStatus> list();
}
