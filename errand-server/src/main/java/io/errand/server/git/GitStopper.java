package io.errand.server.git;

import io.errand.server.process.ProcessTree;

/**
 * Lets one task stop whichever git run it has going. A cancel arrives on another thread, at any
 * moment, possibly between two runs or before the first. Once stopped it stays stopped, so a
 * run that starts afterwards is killed at once.
 */
final class GitStopper {
  private boolean stopped; // guarded by this
  private ProcessTree current; // guarded by this

  /**
   * Stops the current run and every later one. Only signals (TERM) and returns: it runs on the
   * canceller's thread, which must not block; the run's own thread escalates to KILL.
   */
  void stop() {
    ProcessTree t;
    synchronized (this) {
      stopped = true;
      t = current;
    }
    if (t != null) {
      t.terminate();
    }
  }

  synchronized boolean stopped() {
    return stopped;
  }

  /** Makes {@code t}, the processes of a run, the current run; false if already stopped. */
  synchronized boolean attach(ProcessTree t) {
    current = t;
    return !stopped;
  }

  synchronized void detach() {
    current = null;
  }
}
