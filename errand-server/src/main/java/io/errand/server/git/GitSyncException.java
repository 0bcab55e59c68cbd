package io.errand.server.git;

/**
 * A git-sync failure that another attempt may fix: the network, a full disk, a time-out, or
 * something git did not explain. The queue's retries apply to it; failures another attempt
 * cannot fix are {@link io.errand.api.NonRetryableException}s instead.
 */
public final class GitSyncException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, which already says what to check. */
  public GitSyncException(String message) {
    super(message);
  }
}
