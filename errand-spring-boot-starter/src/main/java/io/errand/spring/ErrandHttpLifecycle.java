package io.errand.spring;

import io.errand.http.ApiServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts Errand's {@link ApiServer} when the context starts and stops it when the context
 * stops. Its {@link #PHASE} is below {@link ErrandLifecycle#PHASE}: the API listens before the
 * Errand's lifecycle starts, and it still answers during the drain (the dashboard shows it),
 * stopping only once the drain has ended.
 */
public final class ErrandHttpLifecycle implements SmartLifecycle {
  /** The phase: {@link ErrandLifecycle#PHASE} less 1024, so it stops after the drain. */
  public static final int PHASE = ErrandLifecycle.PHASE - 1024;

  private static final Logger log = LoggerFactory.getLogger(ErrandHttpLifecycle.class);

  private final ApiServer server;
  private final String bind;

  /**
   * A lifecycle for {@code server}.
   *
   * @param server the API server, not started
   * @param bind   the address it listens on, for the log line
   */
  public ErrandHttpLifecycle(ApiServer server, String bind) {
    this.server = server;
    this.bind = bind;
  }

  /**
   * Starts listening.
   *
   * @throws IllegalStateException naming the address and port when they cannot be bound
   */
  @Override
  public void start() {
    if (server.port() >= 0) {
      return;
    }
    int port = server.start();
    log.info("Errand HTTP API and dashboard on http://{}:{}/", bind, port);
  }

  /** Stops listening; open event streams end. Idempotent. */
  @Override
  public void stop() {
    server.stop();
  }

  /** Whether the server listens. */
  @Override
  public boolean isRunning() {
    return server.port() >= 0;
  }

  /** {@link #PHASE}. */
  @Override
  public int getPhase() {
    return PHASE;
  }
}
