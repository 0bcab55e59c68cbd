package io.errand.spring;

import io.errand.api.Errand;
import io.errand.api.ShutdownReport;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the application's {@link Errand} when the context starts, and drains it when the
 * context stops: submits are refused, running tasks get {@code errand.shutdown-grace} to finish,
 * what is left is cancelled (and, on a durable store, runs again at the next start).
 *
 * <p>The starter builds the Errand unstarted ({@code Errand.Builder.buildUnstarted()}): its
 * store is open while the context refreshes, but no worker claims a task, no supervised key and
 * no schedule starts until {@link #start()}, once every bean is made. Its {@link #PHASE} is below
 * the web server's, so it starts before the server takes requests, and stops after the server's
 * graceful shutdown: a request the server took before it stopped can still submit, and the
 * drain begins once no more come.
 *
 * <p>The drain fits Spring's {@code spring.lifecycle.timeout-per-shutdown-phase}: the grace is
 * cut to {@code graceLimit} (that time-out less what the drain needs after the grace), so that
 * the drain ends before Spring gives up on the phase and closes what the store uses.
 */
public final class ErrandLifecycle implements SmartLifecycle {
  /**
   * The phase: lower than the web server's graceful shutdown and stop
   * ({@code DEFAULT_PHASE - 1024} and {@code - 2048}), so it starts before and stops after them.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger log = LoggerFactory.getLogger(ErrandLifecycle.class);

  private final Errand errand;
  private final Duration grace;

  /**
   * A lifecycle that starts {@code errand} and drains it with {@code grace}, cut to
   * {@code graceLimit}.
   *
   * @param errand     the Errand to start, and to drain at stop
   * @param grace      how long running tasks get to finish ({@code errand.shutdown-grace})
   * @param graceLimit the longest grace that lets the drain end within the shutdown phase's
   *                   time-out
   */
  public ErrandLifecycle(Errand errand, Duration grace, Duration graceLimit) {
    this.errand = errand;
    if (grace.compareTo(graceLimit) > 0) {
      Duration cut = graceLimit.isNegative() ? Duration.ZERO : graceLimit;
      log.info("errand.shutdown-grace {} is cut to {}, so that the drain ends within"
          + " spring.lifecycle.timeout-per-shutdown-phase (raise that to give tasks longer)",
          grace, cut);
      this.grace = cut;
    } else {
      this.grace = grace;
    }
  }

  /** The grace the drain gives running tasks: {@code errand.shutdown-grace}, cut to fit. */
  public Duration grace() {
    return grace;
  }

  /**
   * Starts the Errand's workers, supervised keys and schedules; nothing when it runs already.
   *
   * @throws IllegalStateException if the Errand was shut down
   */
  @Override
  public void start() {
    errand.start();
  }

  /** Drains the Errand and logs what the drain did. Idempotent. */
  @Override
  public void stop() {
    if (errand.isShuttingDown()) {
      return;
    }
    log.info("Errand draining: running tasks get {} to finish", grace);
    ShutdownReport report = errand.shutdown(grace);
    log.info("Errand stopped: {}", report);
  }

  /** Whether the Errand is started and still accepts tasks. */
  @Override
  public boolean isRunning() {
    return errand.isStarted() && !errand.isShuttingDown();
  }

  /** {@link #PHASE}. */
  @Override
  public int getPhase() {
    return PHASE;
  }
}
