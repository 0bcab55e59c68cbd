package io.errand.api;

import java.time.Duration;
import java.time.Instant;

/**
 * How one task is submitted, beyond its arguments: when it may run, how urgent it is, and a
 * key that keeps it unique. Immutable; {@link #DEFAULTS} runs as soon as a worker is free.
 *
 * @param delay    how long to wait before the first attempt; null or zero for none
 * @param runAt    the earliest start; null for none. Not together with a {@code delay} other than
 *                 zero: the two would say different things, so the pair is refused
 * @param priority higher runs first among a queue's due tasks; default 0
 * @param key      while a task with this key is WAITING or RUNNING in the queue, a submit with
 *                 the same key returns that task's id instead of adding another; null for none
 * @param uniqueness how the key is unique (which tasks hold it, for how long, and what a submit
 *                 does when one does); null for {@link Uniqueness#LIVE}. Only with a key
 */
public record SubmitOptions(Duration delay, Instant runAt, int priority, String key,
    Uniqueness uniqueness) {
  /** Run as soon as possible, priority 0, no key. */
  public static final SubmitOptions DEFAULTS = new SubmitOptions(null, null, 0, null, null);
  /** The earliest {@code runAt}: 1970-01-01T00:00:00Z (an earlier time would mean "now"). */
  public static final Instant EARLIEST_RUN_AT = Instant.EPOCH;
  /** The latest {@code runAt}: the last microsecond of the year 9999. */
  public static final Instant LATEST_RUN_AT = Instant.parse("9999-12-31T23:59:59.999999Z");
  /** The allowed delays, as messages say it. */
  public static final String DELAY_RANGE = "from 0 to 36525 days (100 years)";
  /** The allowed times to run at, as messages say it. */
  public static final String RUN_AT_RANGE =
      "from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z";

  /**
   * Checks the values. Times are bounded so that every store keeps them exactly (the stores hold
   * microseconds since 1970 in a long, PostgreSQL a timestamp up to the year 294276).
   *
   * @throws InvalidTaskException for a delay outside {@link #DELAY_RANGE}, a runAt outside
   *                              {@link #RUN_AT_RANGE}, a runAt with a delay other than zero,
   *                              a blank or over-long key, or a uniqueness without a key
   */
  public SubmitOptions {
    if (delay != null && !isDelay(delay)) {
      throw new InvalidTaskException("delay must be " + DELAY_RANGE + ", was " + delay);
    }
    if (runAt != null && !isRunAt(runAt)) {
      throw new InvalidTaskException("runAt must be " + RUN_AT_RANGE + ", was " + runAt);
    }
    if (runAt != null && delay != null && !delay.isZero()) {
      throw new InvalidTaskException("give either delay or runAt, not both: delay was " + delay
          + ", runAt was " + runAt);
    }
    if (key != null && (key.isBlank() || key.length() > 512)) {
      throw new InvalidTaskException("key must be 1-512 characters and not blank, was '"
          + key + "'");
    }
    if (uniqueness != null && key == null) {
      throw new InvalidTaskException("a uniqueness (period, states, on_conflict) needs a key, "
          + "and the key was not given");
    }
  }

  /**
   * Options without a {@code uniqueness}: a key is unique among live tasks.
   *
   * @throws InvalidTaskException as the canonical constructor does
   */
  public SubmitOptions(Duration delay, Instant runAt, int priority, String key) {
    this(delay, runAt, priority, key, null);
  }

  /** The uniqueness of the key: {@link #uniqueness}, or {@link Uniqueness#LIVE} if none. */
  public Uniqueness effectiveUniqueness() {
    return uniqueness == null ? Uniqueness.LIVE : uniqueness;
  }

  /** Whether {@code delay} is within {@link #DELAY_RANGE}. */
  public static boolean isDelay(Duration delay) {
    return !delay.isNegative() && delay.compareTo(Errand.LONGEST_DURATION) <= 0;
  }

  /** Whether {@code runAt} is within {@link #RUN_AT_RANGE}. */
  public static boolean isRunAt(Instant runAt) {
    return !runAt.isBefore(EARLIEST_RUN_AT) && !runAt.isAfter(LATEST_RUN_AT);
  }

  /** Options that delay the first attempt by {@code delay}. */
  public static SubmitOptions delayed(Duration delay) {
    return new SubmitOptions(delay, null, 0, null);
  }

  /** Options with a unique {@code key}. */
  public static SubmitOptions keyed(String key) {
    return new SubmitOptions(null, null, 0, key);
  }

  /** Options with a unique {@code key}, unique as {@code uniqueness} says. */
  public static SubmitOptions unique(String key, Uniqueness uniqueness) {
    return new SubmitOptions(null, null, 0, key, uniqueness);
  }

  /** Options with {@code priority}. */
  public static SubmitOptions prioritized(int priority) {
    return new SubmitOptions(null, null, priority, null);
  }

  /** These options with {@code delay}. */
  public SubmitOptions withDelay(Duration delay) {
    return new SubmitOptions(delay, runAt, priority, key, uniqueness);
  }

  /** These options with {@code priority}. */
  public SubmitOptions withPriority(int priority) {
    return new SubmitOptions(delay, runAt, priority, key, uniqueness);
  }

  /** These options with {@code key}. */
  public SubmitOptions withKey(String key) {
    return new SubmitOptions(delay, runAt, priority, key, uniqueness);
  }

  /** These options with {@code uniqueness} (needs a key). */
  public SubmitOptions withUniqueness(Uniqueness uniqueness) {
    return new SubmitOptions(delay, runAt, priority, key, uniqueness);
  }
}
