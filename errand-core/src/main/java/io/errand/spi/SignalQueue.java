package io.errand.spi;

import java.util.Collection;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For stores: a thread of its own that raises signals in the order they were queued, so the
 * thread that changed the store never runs engine callbacks that reach user code (such as
 * {@link StoreSignals#cancelRequested}). A signal that throws is logged and the next one runs.
 */
public final class SignalQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignalQueue.class);
  private static final Runnable STOP = () -> { };

  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  /** Starts the thread, a daemon named {@code threadName}. */
  public SignalQueue(String threadName) {
    thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::loop);
  }

  /** Queues {@code signal}, to be raised after those queued before. */
  public void raise(Runnable signal) {
    queue.add(signal);
  }

  /** Queues {@code signals}, in order, to be raised after those queued before. */
  public void raiseAll(Collection<Runnable> signals) {
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

  /** Raises what was queued, then stops the thread; waits for it, whatever interrupts come. */
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
