package io.errand.http;

import java.util.Map;

/**
 * An answer other than success that a route decides on: its HTTP status, a stable snake_case
 * code and a message that tells the caller what to change. {@link ErrorMapper} writes it as
 * {@code {"error": {"code": ..., "message": ...}}}. A plugin's routes ({@link ApiRoutes}) throw
 * it the same way, so that their refusals read like the API's own.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final transient Map<String, String> headers;

  /**
   * An answer with {@code status} (4xx), the snake_case {@code code} and a {@code message} that
   * says what to change.
   */
  public ApiException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  ApiException(int status, String code, String message, Map<String, String> headers) {
    super(message, null, false, false); // answers to callers, not failures: no stack trace
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  /** 400 with code {@code code}: the request itself must change. */
  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  /** Headers that go with the answer (Retry-After, WWW-Authenticate, Allow). */
  Map<String, String> headers() {
    return headers;
  }
}
