package io.errand.spi;

/** The answer to {@link Tasks#delete}. */
public enum Deletion {
  /** The finished task was removed. */
  DELETED,
  /** There was no such task, or it is still live: nothing was removed. */
  NOTHING_DELETED
}
