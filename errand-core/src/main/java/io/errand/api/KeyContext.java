package io.errand.api;

/**
 * What a supervised key's running instance sees. Beyond {@link TaskContext} (whose
 * {@code id()} numbers the instance, {@code queue()} names the supervisor, {@code attempt()}
 * counts restarts from 1, and {@code progress} sets the key's status message), it knows its key
 * and can report on its own health.
 *
 * @param <A> the type of the key's arguments
 */
public interface KeyContext<A> extends TaskContext<A> {

  /** The key this instance runs for. */
  String key();

  /**
   * Says the instance is alive. When the supervisor has a heartbeat time-out, an instance that
   * stays silent longer is stopped and restarted as unhealthy.
   */
  void heartbeat();

  /**
   * Reports the instance unhealthy (a dead connection it cannot repair, say): it is asked to
   * stop, and the key is restarted as after a crash, with {@code reason} as its last error.
   */
  void unhealthy(String reason);
}
