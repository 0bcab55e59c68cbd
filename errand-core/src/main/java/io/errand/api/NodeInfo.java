package io.errand.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One node of a cluster sharing a store, as the store sees it.
 *
 * @param id          the node's id in the store
 * @param name        the name it was started with ({@link Errand.Builder#node})
 * @param startedAt   when it registered
 * @param heartbeatAt its last heartbeat
 * @param lease       how long it may go without a heartbeat before its tasks are given to
 *                    other nodes
 * @param running     tasks running on it now
 */
public record NodeInfo(long id, String name, Instant startedAt, Instant heartbeatAt,
    java.time.Duration lease, long running) {
  /** Checks the name and times are given. */
  public NodeInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(heartbeatAt, "heartbeatAt");
    Objects.requireNonNull(lease, "lease");
  }
}
