package io.errand.server.handler;

import java.io.IOException;

/**
 * An http attempt answered with a status that another attempt may not get: 5xx, 429 or 408.
 * Retryable: the queue's attempts decide whether the request is sent again.
 */
final class HttpStatusException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  HttpStatusException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the server answered with. */
  int status() {
    return status;
  }
}
