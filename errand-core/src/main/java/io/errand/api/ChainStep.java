package io.errand.api;

import java.util.Objects;

/**
 * One step of a chain: a task for {@code queue} with {@code args}. It runs once the step before
 * it succeeded, and sees that step's result through {@link TaskContext#previousResult()}.
 */
public record ChainStep(String queue, Object args) {
  /** Checks the queue is given. */
  public ChainStep {
    Objects.requireNonNull(queue, "queue");
  }

  /** A step in {@code queue} with {@code args}. */
  public static ChainStep of(String queue, Object args) {
    return new ChainStep(queue, args);
  }
}
