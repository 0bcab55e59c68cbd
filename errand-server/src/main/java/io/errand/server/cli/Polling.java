package io.errand.server.cli;

import java.time.Duration;

/** The pause between two looks at the server while waiting for a task or a batch. */
final class Polling {
  /** Often enough for a bar to move smoothly, rarely enough to cost the server nothing. */
  static final Duration INTERVAL = Duration.ofMillis(250);

  private Polling() {}

  /** Sleeps {@code d}; an interrupt (Ctrl-C) ends the command with exit code 130. */
  static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.interrupted();
    }
  }
}
