package io.errand.postgres;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that keeps this node alive in the {@code nodes} table and rescues the tasks of
 * dead nodes: every {@code interval} it runs {@code round} (one transaction). A failure (the
 * database unreachable for a while) is logged once per outage; the next round tries again.
 */
final class Heartbeat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final ScheduledExecutorService executor;
  private final Runnable beat;
  private volatile boolean failing;

  Heartbeat(String name, Duration interval, Runnable round) {
    this.beat = round;
    this.executor = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name(name).daemon(true).factory());
    long ms = interval.toMillis();
    executor.scheduleWithFixedDelay(this::round, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void round() {
    try {
      beat.run();
      if (failing) {
        failing = false;
        log.info("heartbeats reach the database again");
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        log.warn("a heartbeat failed; trying again each round: {}", e.getMessage());
      }
    }
  }

  /** Stops the rounds, waiting for one under way. */
  @Override
  public void close() {
    executor.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
