package io.errand.spring;

import io.errand.api.Errand;
import io.errand.api.ShutdownReport;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the application's {@link Errand} when the context stops: submits are refused, running
 * tasks get {@code errand.shutdown-grace} to finish, what is left is cancelled (and, on a durable
 * store, runs again at the next start). The Errand runs from the moment its bean is built, so
 * {@link #start()} has nothing to do.
 *
 * <p>Its {@link #PHASE} is below the web server's, whose lifecycle stops first: a request the
 * server took before it stopped can still submit, and the drain begins once no more come.
 */
public final class ErrandLifecycle implements SmartLifecycle {
  /**
   * The phase: lower than the web server's graceful shutdown and stop
   * ({@code DEFAULT_PHASE - 1024} and {@code - 2048}), so it stops after them.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger log = LoggerFactory.getLogger(ErrandLifecycle.class);

  private final Errand errand;
  private final Duration grace;

  /**
   * A lifecycle that drains {@code errand} with {@code grace}.
   *
   * @param errand the Errand to drain at stop
   * @param grace  how long running tasks get to finish
   */
  public ErrandLifecycle(Errand errand, Duration grace) {
    this.errand = errand;
    this.grace = grace;
  }

  /** Nothing: the Errand started when its bean was built. */
  @Override
  public void start() {
    // The Errand's workers run from its build on; there is no second start.
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

  /** Whether the Errand still accepts tasks. */
  @Override
  public boolean isRunning() {
    return !errand.isShuttingDown();
  }

  /** {@link #PHASE}. */
  @Override
  public int getPhase() {
    return PHASE;
  }
}
