package io.errand.api;

/** A registered listener; closing it stops the deliveries. */
public interface Subscription extends AutoCloseable {
  /** Events dropped so far because the listener's buffer was full. */
  long dropped();

  /** Stops delivering events to the listener. Idempotent. */
  @Override
  void close();
}
