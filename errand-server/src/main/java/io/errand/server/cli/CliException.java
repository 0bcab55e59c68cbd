package io.errand.server.cli;

/**
 * Why a client command stops early: a one-line message for a person and the exit code. It
 * carries no stack trace, since what it reports is never a bug of ours.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public static CliException usage(String message) {
    return new CliException(Exit.USAGE, message);
  }

  static CliException interrupted() {
    return new CliException(Exit.INTERRUPTED, "interrupted");
  }

  int exitCode() {
    return exitCode;
  }
}
