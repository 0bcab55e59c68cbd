package io.errand.server.handler;

/**
 * An exec attempt whose program exited with a status other than 0. Retryable: the queue's
 * attempts decide whether the program runs again.
 */
final class ExitStatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  ExitStatusException(int exitCode, String stderrTail) {
    super("exit code " + exitCode + (stderrTail.isEmpty() ? " (nothing on stderr)"
        : "; stderr:\n" + stderrTail));
    this.exitCode = exitCode;
  }

  /** The program's exit status. */
  int exitCode() {
    return exitCode;
  }
}
