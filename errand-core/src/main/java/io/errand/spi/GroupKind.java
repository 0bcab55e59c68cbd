package io.errand.spi;

/** How the tasks of a group relate ({@link Groups#insert}). */
public enum GroupKind {
  /** Independent tasks, all due at once. */
  BATCH,
  /** Steps run one after the other: each but the first is held until its predecessor succeeded. */
  CHAIN,
  /**
   * A batch whose last task is its callback, to run once every task of the batch succeeded.
   * The callback is held (never claimed until released), outside the group (its group is 0, so
   * the group's counts and end are its other tasks'); every other task's {@code next} names
   * it, and its own {@code next} is {@link #callbackMark()} so that whoever ends a task of the
   * batch knows what the callback waits for.
   */
  BATCH_CALLBACK_ON_SUCCESS,
  /** As {@link #BATCH_CALLBACK_ON_SUCCESS}, the callback to run once the batch ended anyhow. */
  BATCH_CALLBACK_ON_END;

  /** Whether the last task of such a group is its callback. */
  public boolean hasCallback() {
    return this == BATCH_CALLBACK_ON_SUCCESS || this == BATCH_CALLBACK_ON_END;
  }

  /**
   * What a callback's {@code next} holds: -1 for {@link #BATCH_CALLBACK_ON_SUCCESS}, -2 for
   * {@link #BATCH_CALLBACK_ON_END} (a real next task's id is positive).
   *
   * @throws IllegalStateException for a kind without a callback
   */
  public long callbackMark() {
    return switch (this) {
      case BATCH_CALLBACK_ON_SUCCESS -> -1;
      case BATCH_CALLBACK_ON_END -> -2;
      default -> throw new IllegalStateException(this + " has no callback");
    };
  }

  /** The kind whose {@link #callbackMark()} is {@code next}, or null if none. */
  public static GroupKind ofCallbackMark(long next) {
    return next == -1 ? BATCH_CALLBACK_ON_SUCCESS : next == -2 ? BATCH_CALLBACK_ON_END : null;
  }
}
