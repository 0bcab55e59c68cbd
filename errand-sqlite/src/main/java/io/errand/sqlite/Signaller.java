package io.errand.sqlite;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the store's signals to the engine, in commit order, on a thread of its own. Not on
 * the writer thread: a signal reaches the engine's code (a cancel request runs the task's
 * {@code onCancel} callbacks, which are user code), and whatever that code does (block, or
 * submit a task, which waits for the writer) must never stall or deadlock the writer.
 */
final class Signaller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Signaller.class);
  private static final Runnable STOP = () -> { };

  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  Signaller() {
    thread = Thread.ofPlatform().name("errand-sqlite-signals").daemon(true).start(this::loop);
  }

  /** Queues {@code signals}, to be raised in order after those queued before. */
  void raise(List<Runnable> signals) {
    queue.addAll(signals);
  }

  private void loop() {
    while (true) {
      Runnable signal;
      try {
        signal = queue.take();
      } catch (InterruptedException e) {
        continue; // only close() stops it
      }
      if (signal == STOP) {
        return;
      }
      try {
        signal.run();
      } catch (RuntimeException e) {
        log.warn("a store signal failed", e);
      }
    }
  }

  /** Delivers what was queued, then stops. */
  @Override
  public void close() {
    queue.add(STOP);
    joinUninterruptibly(thread);
  }

  /**
   * Waits for {@code t} to end, whatever interrupts arrive (a store's threads must finish what
   * they hold), then restores the caller's interrupt flag.
   */
  static void joinUninterruptibly(Thread t) {
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
