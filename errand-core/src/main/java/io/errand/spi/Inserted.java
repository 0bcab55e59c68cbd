package io.errand.spi;

/** The answer to {@link Tasks#insert}: a new task, or the live task that already had the key. */
public sealed interface Inserted {
  /** The id of the task the submit stands for: the new one, or the live one with the key. */
  long id();

  /** A new WAITING task was inserted with {@code id}. */
  record Created(long id) implements Inserted {}

  /** The queue's live task {@code id} already had the key: nothing was inserted. */
  record AlreadyLive(long id) implements Inserted {}
}
