package io.errand.sqlite;

/**
 * Kills a child process with SIGKILL and keeps its output readable.
 * {@link Process#destroyForcibly()} also closes our end of the child's stdout, so the lines it
 * wrote before the kill that our reader had not yet taken are lost (a busy machine leaves
 * several in the pipe); signalling through its {@link ProcessHandle} leaves the pipe to be read
 * to its end.
 */
final class Sigkill {
  private Sigkill() {}

  static void of(Process p) {
    p.toHandle().destroyForcibly();
  }
}
