package io.errand.server.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) while a long command runs: the JVM starts to shut down, and this hook
 * interrupts the command's thread and waits a moment for it to finish its output, so that the
 * terminal is left tidy (the last frame whole, a final line) rather than cut mid-line.
 */
final class CtrlC implements AutoCloseable {
  private static final long GRACE_MILLIS = 2_000;

  private final Thread hook;
  private final CountDownLatch finished = new CountDownLatch(1);

  private CtrlC(Thread worker) {
    this.hook = new Thread(() -> {
      worker.interrupt();
      try {
        finished.await(GRACE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "errand-ctrl-c");
  }

  /** Watches for Ctrl-C on behalf of the calling thread until {@link #close()}. */
  static CtrlC watch() {
    CtrlC c = new CtrlC(Thread.currentThread());
    Runtime.getRuntime().addShutdownHook(c.hook);
    return c;
  }

  /** The command has finished its output: a shutdown under way need not wait any longer. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs, sees the latch open, and returns at once.
    }
  }
}
