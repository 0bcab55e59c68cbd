package io.errand.api;

/** A submit was refused because this Errand is shutting down or has shut down. */
public final class ShuttingDownException extends ErrandException {
  private static final long serialVersionUID = 1L;

  /** Refuses {@code what} (for example "submit to queue 'mail'"). */
  public ShuttingDownException(String what) {
    super("shutting_down", what + " refused: Errand is shutting down and accepts no new tasks");
  }
}
