package io.errand.spi;

/**
 * How a store tells the engine about changes, whichever process made them. Implementations are
 * called from store threads; they return quickly and never throw.
 */
public interface StoreSignals {
  /** A task of {@code queue} became due (inserted, retried, released, requeued). */
  void workAvailable(String queue);

  /** A cancel was requested for running task {@code id}. */
  void cancelRequested(long id);
}
