package io.errand.server.handler;

import io.errand.api.ProgramOutput;

/**
 * An exec attempt whose program exited with a status other than 0. Retryable: the queue's
 * attempts decide whether the program runs again. Its output tail (stdout and stderr) is kept
 * with the task's error apart from the message.
 */
final class ExitStatusException extends RuntimeException implements ProgramOutput {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  private final String outputTail;

  ExitStatusException(int exitCode, String stderrTail, String outputTail) {
    super("exit code " + exitCode + (stderrTail.isEmpty() ? " (nothing on stderr)"
        : "; stderr:\n" + stderrTail));
    this.exitCode = exitCode;
    this.outputTail = outputTail;
  }

  @Override
  public String outputTail() {
    return outputTail;
  }

  /** The program's exit status. */
  int exitCode() {
    return exitCode;
  }
}
