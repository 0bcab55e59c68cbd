package io.errand.api;

import java.time.Duration;
import java.time.Instant;

/**
 * How one task is submitted, beyond its arguments: when it may run, how urgent it is, and a
 * key that keeps it unique. Immutable; {@link #DEFAULTS} runs as soon as a worker is free.
 *
 * @param delay    how long to wait before the first attempt; null or zero for none
 * @param runAt    the earliest start; null for none (wins over {@code delay} when both are set)
 * @param priority higher runs first among a queue's due tasks; default 0
 * @param key      while a task with this key is WAITING or RUNNING in the queue, a submit with
 *                 the same key returns that task's id instead of adding another; null for none
 */
public record SubmitOptions(Duration delay, Instant runAt, int priority, String key) {
  /** Run as soon as possible, priority 0, no key. */
  public static final SubmitOptions DEFAULTS = new SubmitOptions(null, null, 0, null);

  /**
   * Checks the values.
   *
   * @throws InvalidTaskException for a negative delay or a blank or over-long key
   */
  public SubmitOptions {
    if (delay != null && delay.isNegative()) {
      throw new InvalidTaskException("delay must be >= 0, was " + delay);
    }
    if (key != null && (key.isBlank() || key.length() > 512)) {
      throw new InvalidTaskException("key must be 1-512 characters and not blank, was '"
          + key + "'");
    }
  }

  /** Options that delay the first attempt by {@code delay}. */
  public static SubmitOptions delayed(Duration delay) {
    return new SubmitOptions(delay, null, 0, null);
  }

  /** Options with a unique {@code key}. */
  public static SubmitOptions keyed(String key) {
    return new SubmitOptions(null, null, 0, key);
  }

  /** Options with {@code priority}. */
  public static SubmitOptions prioritized(int priority) {
    return new SubmitOptions(null, null, priority, null);
  }

  /** These options with {@code delay}. */
  public SubmitOptions withDelay(Duration delay) {
    return new SubmitOptions(delay, runAt, priority, key);
  }

  /** These options with {@code priority}. */
  public SubmitOptions withPriority(int priority) {
    return new SubmitOptions(delay, runAt, priority, key);
  }

  /** These options with {@code key}. */
  public SubmitOptions withKey(String key) {
    return new SubmitOptions(delay, runAt, priority, key);
  }
}
