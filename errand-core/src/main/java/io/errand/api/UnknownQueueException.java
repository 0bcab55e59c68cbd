package io.errand.api;

import java.util.Collection;

/** A task was submitted to a queue that this Errand does not have. */
public final class UnknownQueueException extends ErrandException {
  private static final long serialVersionUID = 1L;
  private final String queue;

  /** {@code queue} is not one of {@code known}. */
  public UnknownQueueException(String queue, Collection<String> known) {
    super("unknown_queue", "no queue named '" + queue + "'; the queues are " + known
        + " (declare it with Errand.builder().queue(...))");
    this.queue = queue;
  }

  /** The name that was asked for. */
  public String queue() {
    return queue;
  }
}
