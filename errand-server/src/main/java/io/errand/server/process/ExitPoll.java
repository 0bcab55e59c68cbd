package io.errand.server.process;

/**
 * The pause between two looks at processes that must be waited out: the kernel tells a JVM of
 * the exit of its own children only, so the end of a grandchild or of a group member is polled.
 * An interrupt does not cut the wait short (the processes must go first); it is remembered and
 * set again by {@link #close()}. One per waiting call, never shared: an interrupt of one thread
 * must not be set again on another.
 */
final class ExitPoll implements AutoCloseable {
  /** How long one pause lasts. */
  static final long PAUSE_MILLIS = 20;

  private boolean interrupted;

  /** Pauses {@link #PAUSE_MILLIS}, or less if interrupted. */
  void pause() {
    pause(PAUSE_MILLIS);
  }

  /** Pauses {@code millis}, or less if interrupted. */
  void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      interrupted = true;
    }
  }

  /** Sets the thread's interrupt status again if a pause was interrupted. */
  @Override
  public void close() {
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
