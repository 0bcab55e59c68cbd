package io.errand.spi;

import java.time.Instant;

/**
 * How a store tells the engine about changes, whichever process made them. Implementations are
 * called from store threads; they return quickly and never throw.
 */
public interface StoreSignals {
  /**
   * Task {@code id} was inserted through this store. Called once per inserted task, after the
   * insert is durable and <em>before</em> this process can claim the task, so that the engine's
   * ADDED event precedes everything else about it. Must not block: the memory store calls it
   * under its queue's lock.
   */
  void added(long id, String queue, String key, Instant createdAt);

  /** A task of {@code queue} became due (inserted, retried, released, requeued). */
  void workAvailable(String queue);

  /** A cancel was requested for running task {@code id}. */
  void cancelRequested(long id);

  /**
   * The store ended task {@code record} by itself, not as the answer to a call of the engine:
   * a task it cannot run (its stored arguments are unreadable) or one it cancelled while
   * recovering after a crash. The engine handles it as any other end: events, awaiters, the
   * next step of a chain, the batch's completion.
   */
  void ended(TaskRecord record);

  /**
   * An event of the cluster's event log ({@link ClusterStore}), made by any node, in the log's
   * order. Called on one store thread. Nothing by default.
   */
  default void event(io.errand.api.TaskEvent event) {}
}
