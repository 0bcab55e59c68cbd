package io.errand;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A latch a handler blocks on until the test opens it; fails loudly instead of hanging. */
final class Gate {
  private final CountDownLatch latch = new CountDownLatch(1);

  void open() {
    latch.countDown();
  }

  /** Blocks (interruptibly) until opened; throws if not opened within 30 s. */
  void pass() throws InterruptedException {
    if (!latch.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("gate was never opened");
    }
  }

  /** Blocks until opened, ignoring interrupts (a handler that will not stop). */
  void passIgnoringInterrupts() {
    boolean interrupted = false;
    while (latch.getCount() > 0) {
      try {
        latch.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
