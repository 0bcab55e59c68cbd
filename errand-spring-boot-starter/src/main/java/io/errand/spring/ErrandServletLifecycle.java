package io.errand.spring;

import io.errand.http.ApiServlet;
import org.springframework.context.SmartLifecycle;

/**
 * Ends the event streams of Errand's {@link ApiServlet} when the context stops. Its
 * {@link #PHASE} is above that of the web server's graceful shutdown, which waits for open
 * requests: an event stream is one that never ends on its own, and would hold the shutdown for
 * its whole time-out. The other API requests are answered until the web server stops, which is
 * before the Errand's drain ({@link ErrandLifecycle}).
 */
public final class ErrandServletLifecycle implements SmartLifecycle {
  /**
   * The phase: {@link SmartLifecycle#DEFAULT_PHASE} less 512, above the web server's graceful
   * shutdown ({@code DEFAULT_PHASE - 1024}), so it stops first.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private final ApiServlet api;
  private volatile boolean running;

  /**
   * A lifecycle for {@code api}.
   *
   * @param api the servlet, registered with the application's server
   */
  public ErrandServletLifecycle(ApiServlet api) {
    this.api = api;
  }

  /** Marks it running; the servlet serves from its registration. */
  @Override
  public void start() {
    running = true;
  }

  /** Ends the open event streams. Idempotent. */
  @Override
  public void stop() {
    running = false;
    api.close();
  }

  /** Whether it was started and not stopped. */
  @Override
  public boolean isRunning() {
    return running;
  }

  /** {@link #PHASE}. */
  @Override
  public int getPhase() {
    return PHASE;
  }
}
