package io.errand.api;

import java.util.List;
import java.util.Map;

/**
 * What the nodes sharing one store see of each other ({@link Errand#cluster()}): the nodes, the
 * tasks running anywhere, and the cluster's event log. Only a store shared by nodes has one.
 */
public interface Cluster {
  /**
   * This node's id among {@link #nodes()}.
   *
   * @throws IllegalStateException if the store is not open
   */
  long self();

  /**
   * The nodes registered in the store now, in id order.
   *
   * @throws ErrandException with code {@code store_failed} if the store cannot be read
   */
  List<NodeInfo> nodes();

  /**
   * Tasks RUNNING now per queue, on every node; a queue without any is absent.
   *
   * @throws ErrandException with code {@code store_failed} if the store cannot be read
   */
  Map<String, Long> running();

  /**
   * The logged events after the one numbered {@code seq}, oldest first, at most {@code max}:
   * what a listener of any node was (or will be) handed after that event, as far as this node
   * has delivered events already; fewer once the log's retention removed them.
   *
   * @throws IllegalArgumentException if {@code seq} is negative or {@code max} below 1
   * @throws ErrandException with code {@code store_failed} if the store cannot be read
   */
  List<TaskEvent> eventsAfter(long seq, int max);

  /**
   * Claims logged event {@code seq} for a one-time side effect (a webhook): true for exactly
   * one caller in the whole cluster, false for every other call, on any node.
   *
   * @throws ErrandException with code {@code store_failed} if the store cannot be written
   */
  boolean claimDelivery(long seq);
}
