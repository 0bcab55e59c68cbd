package io.errand.spi;

import java.time.Instant;
import java.util.Map;

/**
 * The flow control a {@link TaskStore} keeps per queue: which queues are paused. A paused queue
 * still takes inserts, but no claim of this store takes its tasks ({@link Tasks#claim} and the
 * claim of {@link Tasks#finishAndClaim} answer none, {@link Tasks#nextDue} answers empty) until
 * it is resumed. The pause is the store's, not a process's: a durable store keeps it across
 * restarts, and a store several nodes share stops every node's claims at the pause's commit.
 */
public interface QueueControls {

  /**
   * Pauses {@code queue}. When this returns, no claim of the store that begins after it takes a
   * task of the queue. Tasks claimed before go on.
   *
   * @param at when, kept as the moment the pause began
   * @return true if the queue was running and is now paused, false if it was paused already
   */
  boolean pause(String queue, Instant at);

  /**
   * Lets {@code queue}'s tasks be claimed again, and raises {@link StoreSignals#workAvailable}
   * for it (on every node sharing the store) so that idle workers look at once.
   *
   * @return true if the queue was paused and now runs, false if it was not paused
   */
  boolean resume(String queue, Instant at);

  /** The paused queues, each with the moment its pause began. */
  Map<String, Instant> paused();

  /**
   * How many tasks of {@code queue} are RUNNING now in the store, on every node sharing it: what
   * a drain waits to see fall to 0, and what a concurrency limit is checked against. Cheap: it
   * costs the running tasks, not the queue's backlog.
   */
  long running(String queue);

  /**
   * Caps how many tasks of {@code queue} are RUNNING at once in the store, across every node
   * sharing it: a claim takes no more than the room left (none when the queue is full), and
   * {@link Tasks#nextDue} answers empty while no room is left (a task's end makes room, and the
   * worker that ended it claims next). Each engine declares it at start from its queue's spec;
   * it is not kept, so a node that declares none claims without the cap.
   *
   * @param limit the most running tasks, at least 1
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  void limitConcurrency(String queue, int limit);

  /**
   * Declares {@code queue}'s concurrency key, per-key limit and rate limits (replacing what was
   * declared before). From then on, claims of the queue go round-robin across the key values
   * that have due tasks, take no task whose key value has {@code perKey} tasks RUNNING, and
   * start no more tasks than the rate limits allow; {@link Tasks#nextDue} answers when the next
   * start is allowed. Each engine declares it at start from its queue's spec, before its workers
   * claim.
   *
   * @throws UnsupportedOperationException if this store cannot honour such limits (the engine
   *     then refuses to start, naming the queue and the store)
   */
  default void limitFlow(String queue, FlowLimits limits) {
    throw new UnsupportedOperationException("this store has no per-key limits, fairness or "
        + "rate limits yet");
  }

  /**
   * Why {@code task}, WAITING and due, is held back by the limits of {@link #limitFlow} at
   * {@code now} ("rate limit of queue 'mail': 100/1m, next slot in 12s", "concurrency limit of
   * key 'acme' in queue 'mail': 1 of 1 running"), or empty when none holds it. Empty by default.
   */
  default java.util.Optional<String> heldBack(TaskRecord task, Instant now) {
    return java.util.Optional.empty();
  }

  /**
   * Checks a concurrency limit, for the stores' {@link #limitConcurrency}.
   *
   * @throws IllegalArgumentException naming the queue, the value and what is allowed
   */
  static int checkLimit(String queue, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("concurrency of queue '" + queue + "' must be >= 1, was "
          + limit);
    }
    return limit;
  }
}
