package io.errand.api;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a submit's key keeps its task unique in its queue: which tasks hold the key, and what a
 * submit does when one does. Given with a key ({@link SubmitOptions#withUniqueness}); a key
 * without one uses {@link #LIVE}: a WAITING or RUNNING task holds it, and a submit answers that
 * task.
 *
 * <p>A task holds its queue's key while it is WAITING or RUNNING, always (every store keeps one
 * live task per queue and key, so {@code states} must contain both). {@code states} may add the
 * finished states: a SUCCESS, FAILURE or CANCELLED task then holds the key too, for
 * {@code period} after it was created, or, with no period, until retention removes it. So
 * {@code Uniqueness.within(Duration.ofHours(1))} means "no second task with this key within an
 * hour of the first, whatever its state".
 *
 * @param period     how long after its creation a finished task in {@code states} holds the key;
 *                   null for as long as it is kept. When given it must be positive and at most
 *                   100 years
 * @param states     the states in which a task holds the key: WAITING and RUNNING, and any of
 *                   SUCCESS, FAILURE, CANCELLED
 * @param onConflict what a submit does when the key is held
 */
public record Uniqueness(Duration period, Set<TaskStatus> states, OnConflict onConflict) {
  /** The live states, which always hold a key. */
  public static final Set<TaskStatus> LIVE_STATES =
      Set.copyOf(EnumSet.of(TaskStatus.WAITING, TaskStatus.RUNNING));
  /** A live task holds the key; a submit answers it. The uniqueness of a plain key. */
  public static final Uniqueness LIVE =
      new Uniqueness(null, LIVE_STATES, OnConflict.RETURN_EXISTING);

  /**
   * Checks the values.
   *
   * @throws InvalidTaskException for a period that is zero, negative or over 100 years, states
   *                              that leave out WAITING or RUNNING, or a null mode
   */
  public Uniqueness {
    if (period != null && (period.isZero() || period.isNegative()
        || period.compareTo(Errand.LONGEST_DURATION) > 0)) {
      throw new InvalidTaskException("unique period must be more than 0 and at most 36525 days "
          + "(100 years), was " + period);
    }
    if (states == null || !states.containsAll(LIVE_STATES)) {
      throw new InvalidTaskException("unique states must include WAITING and RUNNING (a live "
          + "task always holds its key) and may add SUCCESS, FAILURE, CANCELLED; was " + states);
    }
    if (onConflict == null) {
      throw new InvalidTaskException("unique on_conflict must be one of return, replace, "
          + "debounce; was null");
    }
    states = Set.copyOf(EnumSet.copyOf(states));
  }

  /**
   * No second task within {@code period} of the first's creation, whatever its state: all five
   * states hold the key, finished ones for {@code period}.
   *
   * @throws InvalidTaskException if the period is not positive or over 100 years
   */
  public static Uniqueness within(Duration period) {
    return new Uniqueness(period, EnumSet.allOf(TaskStatus.class), OnConflict.RETURN_EXISTING);
  }

  /** This uniqueness with {@code period}. */
  public Uniqueness withPeriod(Duration period) {
    return new Uniqueness(period, states, onConflict);
  }

  /** This uniqueness with the states {@code states} (WAITING and RUNNING added if missing). */
  public Uniqueness withStates(Set<TaskStatus> states) {
    EnumSet<TaskStatus> s = EnumSet.copyOf(LIVE_STATES);
    s.addAll(states);
    return new Uniqueness(period, s, onConflict);
  }

  /** This uniqueness with the conflict mode {@code onConflict}. */
  public Uniqueness withOnConflict(OnConflict onConflict) {
    return new Uniqueness(period, states, onConflict);
  }

  /** Whether a finished task in {@code status}, created at {@code createdAt}, holds the key. */
  public boolean holds(TaskStatus status, java.time.Instant createdAt, java.time.Instant now) {
    if (status.isLive()) {
      return true;
    }
    return states.contains(status) && (period == null || !createdAt.isBefore(now.minus(period)));
  }

  /** The finished states that hold the key, by name (for messages and SQL). */
  public Set<String> finishedStateNames() {
    return states.stream().filter(TaskStatus::isTerminal).map(Enum::name)
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The states named in {@code names}, comma-separated, case-insensitive.
   *
   * @throws InvalidTaskException naming the unknown state and the allowed ones
   */
  public static Set<TaskStatus> parseStates(String names) {
    EnumSet<TaskStatus> s = EnumSet.noneOf(TaskStatus.class);
    for (String n : names.split(",")) {
      String name = n.strip().toUpperCase(java.util.Locale.ROOT);
      try {
        s.add(TaskStatus.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new InvalidTaskException("unique states: unknown state '" + n.strip()
            + "'; allowed: WAITING, RUNNING, SUCCESS, FAILURE, CANCELLED");
      }
    }
    return s;
  }
}
