package io.errand.jdbc;

/** What the SQL stores' own threads (writers, syncers, listeners, sweepers) share. */
public final class StoreThreads {
  private StoreThreads() {}

  /**
   * Waits for {@code t} to end, whatever interrupts arrive (a store's thread must finish what it
   * holds before the store closes), then restores the caller's interrupt flag.
   */
  public static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
