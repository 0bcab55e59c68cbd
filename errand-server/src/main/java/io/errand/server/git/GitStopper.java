package io.errand.server.git;

/**
 * Lets one task stop whichever git run it has going. A cancel arrives on another thread, at any
 * moment, possibly between two runs or before the first. Once stopped it stays stopped, so a
 * run that starts afterwards is killed at once.
 */
final class GitStopper {
  private boolean stopped; // guarded by this
  private GitProcess current; // guarded by this

  /**
   * Stops the current run and every later one. Only signals (TERM) and returns: it runs on the
   * canceller's thread, which must not block; the run's own thread escalates to KILL.
   */
  void stop() {
    GitProcess p;
    synchronized (this) {
      stopped = true;
      p = current;
    }
    if (p != null) {
      p.terminate();
    }
  }

  synchronized boolean stopped() {
    return stopped;
  }

  /** Makes {@code p} the current run; false if the task is already stopped. */
  synchronized boolean attach(GitProcess p) {
    current = p;
    return !stopped;
  }

  synchronized void detach() {
    current = null;
  }
}
