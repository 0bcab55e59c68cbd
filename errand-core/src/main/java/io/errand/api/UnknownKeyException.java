package io.errand.api;

/** An operation named a key that its supervisor does not have. */
public final class UnknownKeyException extends ErrandException {
  private static final long serialVersionUID = 1L;

  /** {@code supervisor} has no key {@code key}. */
  public UnknownKeyException(String supervisor, String key) {
    super("unknown_key", "supervisor '" + supervisor + "' has no key '" + key
        + "'; put it first");
  }
}
