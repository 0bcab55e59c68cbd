package io.errand.api;

/**
 * A submit was refused because the queue already holds {@code capacity} waiting tasks. Nothing
 * was added; nothing already accepted was dropped. Try again later, or raise the capacity.
 */
public final class QueueFullException extends ErrandException {
  private static final long serialVersionUID = 1L;
  private final String queue;
  private final int capacity;

  /** {@code queue} holds {@code capacity} waiting tasks already. */
  public QueueFullException(String queue, int capacity) {
    super("queue_full", "queue '" + queue + "' is full: " + capacity
        + " tasks are waiting (its capacity); retry later or raise its capacity");
    this.queue = queue;
    this.capacity = capacity;
  }

  /** The queue that is full. */
  public String queue() {
    return queue;
  }

  /** Its capacity. */
  public int capacity() {
    return capacity;
  }
}
