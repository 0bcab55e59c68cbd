package io.errand.server.serve;

import io.errand.server.process.Children;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT for a server in the foreground: the first starts the graceful shutdown
 * (stop accepting, drain within the grace, cancel, requeue); a second one while it drains ends
 * the process at once, killing the programs its tasks started. Plain shutdown hooks can't tell the two apart, hence signal handlers.
 */
public final class ShutdownSignals {
  private final ErrandServer server;
  private final PrintStream out;
  private final AtomicInteger received = new AtomicInteger();
  private final CountDownLatch stopped = new CountDownLatch(1);

  ShutdownSignals(ErrandServer server, PrintStream out) {
    this.server = server;
    this.out = out;
  }

  /**
   * Handles TERM and INT for {@code server} and waits until it has shut down.
   *
   * @param out where the steps are told to the operator
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public static void awaitShutdown(ErrandServer server, PrintStream out)
      throws InterruptedException {
    ShutdownSignals s = new ShutdownSignals(server, out);
    Signal.handle(new Signal("TERM"), s::onSignal);
    Signal.handle(new Signal("INT"), s::onSignal);
    s.awaitStopped();
  }

  private void onSignal(Signal signal) {
    if (received.incrementAndGet() > 1) {
      out.println("errand: second SIG" + signal.getName() + ": exiting now, without waiting"
          + " for running tasks (SQLite requeues them at the next start)");
      out.flush();
      // Their guards would end them once the JVM is gone, but after a grace: end them first,
      // with what they started (their process groups), and whatever else this JVM started.
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
      Children.killEverywhere();
      Runtime.getRuntime().halt(128 + signal.getNumber());
    }
    drain(signal.getName());
  }

  /**
   * The first signal's work: refuse submits, then say so, then drain on a thread of its own.
   * Announcing first would let a client that reads the announcement still get a task accepted.
   */
  void drain(String signalName) {
    server.stopAccepting();
    out.println("errand: SIG" + signalName + ": draining for up to "
        + server.config().shutdownGrace().toSeconds() + " s; send it again to exit at once");
    out.flush();
    Thread.ofPlatform().name("errand-shutdown").start(() -> {
      try {
        out.println("errand: stopped: " + server.shutdown());
        out.flush();
      } finally {
        stopped.countDown();
      }
    });
  }

  /** Waits until the drain that {@link #drain} began has ended. */
  void awaitStopped() throws InterruptedException {
    stopped.await();
  }
}
