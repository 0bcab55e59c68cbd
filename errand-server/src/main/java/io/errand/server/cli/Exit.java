package io.errand.server.cli;

/**
 * The exit codes of the client commands. They are part of the interface (scripts test them),
 * listed in {@code docs/cli.md}, and never change meaning.
 */
public final class Exit {
  /** The command did what it was asked; with {@code --wait}, the task succeeded. */
  public static final int OK = 0;
  /** The task failed, or the server answered with an error of its own (5xx, 409, 429). */
  public static final int FAILED = 1;
  /** A usage error or bad input: picocli answers its own usage errors with 2 as well. */
  static final int USAGE = 2;
  /** With {@code --wait}: the task was cancelled. */
  static final int CANCELLED = 3;
  /** The server could not be reached, or did not answer in time. */
  static final int UNREACHABLE = 4;
  /** No such task, queue, user, supervisor, key or batch. */
  static final int NOT_FOUND = 5;
  /** The server wants a token, or a different one. */
  static final int UNAUTHORIZED = 6;
  /** Stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it. */
  static final int INTERRUPTED = 130;

  private Exit() {}

  /** The code for a task's final status: SUCCESS 0, CANCELLED 3, anything else 1. */
  public static int of(String status) {
    return switch (status) {
      case "SUCCESS" -> OK;
      case "CANCELLED" -> CANCELLED;
      default -> FAILED;
    };
  }
}
