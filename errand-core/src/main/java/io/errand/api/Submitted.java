package io.errand.api;

/**
 * The answer of {@link Errand#submitOrFind}: the task's id, whether this call added it, and if
 * not, what it did to the task that held its key.
 *
 * @param id       the task's id
 * @param created  true if this call added the task; false if a task of the queue already held
 *                 the submit's key, whose id this is (no task was added)
 * @param resolved null when created; otherwise what the submit did to the holding task:
 *                 {@link OnConflict#RETURN_EXISTING} (nothing changed: also the answer when the
 *                 mode asked for a change but the task no longer waited),
 *                 {@link OnConflict#REPLACE_ARGS} or {@link OnConflict#DEBOUNCE}
 */
public record Submitted(long id, boolean created, OnConflict resolved) {
  /** Checks that {@code resolved} is given exactly when nothing was created. */
  public Submitted {
    if (created == (resolved != null)) {
      throw new IllegalArgumentException("resolved must be null exactly when created, was "
          + resolved + " with created " + created);
    }
  }

  /** A created task, or an existing one left as it was. */
  public Submitted(long id, boolean created) {
    this(id, created, created ? null : OnConflict.RETURN_EXISTING);
  }
}
