package io.errand.spi;

import io.errand.api.Cluster;
import io.errand.api.TaskEvent;

/**
 * The role of a store shared by nodes that keeps the cluster's event log. The store logs the
 * events of its tasks itself, in the transactions that change them, and hands every logged
 * event, whichever node made it, to each node's engine through {@link StoreSignals#event}, in
 * the log's order. The engine then publishes no task event of its own, and appends here the
 * events the store cannot see (supervised keys, schedules).
 */
public interface ClusterStore extends Cluster {
  /**
   * Logs {@code event}, made by this node outside the store's own changes; it comes back to
   * every node (this one too) through {@link StoreSignals#event}. Never blocks on the
   * database: an event that cannot be logged is dropped and counted.
   */
  void append(TaskEvent event);
}
