package io.errand.postgres;

import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises signals that reach user code (a cancel request runs the task's {@code onCancel}
 * callbacks) in order, on a thread of its own, so that neither a caller's connection nor the
 * listener waits for that code.
 */
final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Runnable STOP = () -> { };

  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  Dispatcher(String name) {
    thread = Thread.ofPlatform().name(name).daemon(true).start(this::loop);
  }

  /** Queues {@code signal}, to be raised after those queued before. */
  void raise(Runnable signal) {
    queue.add(signal);
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

  /** Raises what was queued, then stops. */
  @Override
  public void close() {
    queue.add(STOP);
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
