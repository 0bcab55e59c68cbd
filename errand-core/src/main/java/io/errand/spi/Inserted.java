package io.errand.spi;

/** The answer to {@link Tasks#insert}: a new task, or the live task that already had the key. */
public sealed interface Inserted {
  /** The id of the task the submit stands for: the new one, or the live one with the key. */
  long id();

  /** A new WAITING task was inserted with {@code id}. */
  record Created(long id) implements Inserted {}

  /**
   * The queue's task {@code id} already held the key (live, or finished within its
   * {@link io.errand.api.Uniqueness}): nothing was inserted nor changed.
   */
  record AlreadyLive(long id) implements Inserted {}

  /**
   * The queue's WAITING task {@code id} held the key and was changed as {@code how} says
   * ({@link io.errand.api.OnConflict#REPLACE_ARGS} or {@link io.errand.api.OnConflict#DEBOUNCE});
   * nothing was inserted.
   */
  record Updated(long id, io.errand.api.OnConflict how) implements Inserted {}
}
