package io.errand.api;

/**
 * A value could not be written as JSON by the Errand's {@code ObjectMapper}: a submit's
 * arguments (the submit is refused and nothing is added, on every store, the memory store
 * included), or a handler's result (its task fails with this error). The message names where in
 * the value the problem is, its type, and why; {@link #path()} and {@link #reason()} give them
 * apart, for code that reports them itself.
 */
public final class PayloadEncodingException extends InvalidTaskException {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final String valueType;
  private final String reason;

  /**
   * A refusal of a value of {@code valueType} whose part at {@code path} cannot be written, for
   * {@code reason}; {@code what} says which value it was (e.g. "the arguments of a task of queue
   * 'mail'").
   */
  public PayloadEncodingException(String what, String valueType, String path, String reason) {
    super(what + " (a " + valueType + ") cannot be written as JSON"
        + (path.isEmpty() ? "" : " at " + path) + ": " + reason
        + "; use records, collections and plain values, or register a Jackson module or"
        + " serializer for that type on the ObjectMapper given to Errand.builder().objectMapper");
    this.path = path;
    this.valueType = valueType;
    this.reason = reason;
  }

  /**
   * Where in the value the problem is, as property names and list indexes
   * ({@code attachments[0].stream}); empty when it is the value itself.
   */
  public String path() {
    return path;
  }

  /** The class name of the value that was refused. */
  public String valueType() {
    return valueType;
  }

  /** Why it cannot be written, as Jackson put it. */
  public String reason() {
    return reason;
  }
}
