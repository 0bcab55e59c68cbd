package io.errand.http;

import io.errand.api.Errand;
import io.errand.common.BindAddress;
import io.errand.common.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP API of an {@link Errand}: JSON routes under {@code /api}, a Server-Sent-Events
 * stream at {@code /api/events}, Prometheus metrics at {@code /metrics}, the dashboard at
 * {@code /} and probes at {@code /livez} and {@code /readyz}. The routes and their shapes are
 * documented in {@code docs/api.md} and {@code /api/openapi.json}, the dashboard in
 * {@code docs/dashboard.md}.
 *
 * <pre>{@code
 * ApiServer server = ApiServer.builder(errand).bind("127.0.0.1").port(8080)
 *     .token(Secret.of(System.getenv("ERRAND_TOKEN"))).build();
 * int port = server.start();
 * ...
 * server.stop();
 * }</pre>
 *
 * <p>When a token is set, every {@code /api} route needs {@code Authorization: Bearer <token>}.
 * {@code /metrics} never does: it shows counts and queue names only, and scrapers often cannot
 * send a token. Nor do the probes, which show no data. Nor does the dashboard's page, which
 * holds no data: it asks for the token and sends it with each {@code /api} call. Requests run
 * on virtual threads. The server does not own the Errand: stopping it leaves the Errand
 * running. To serve the same API under a path of an application's own server instead, see
 * {@link ApiServlet}.
 */
public final class ApiServer {
  /** How often an idle event stream sends a heartbeat, well under Jetty's 30 s idle time-out. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final String bind;
  private final int requestedPort;
  private final ApiApp.Settings settings;
  private final Object lock = new Object();
  private ApiApp app; // guarded by lock
  private int port = -1; // guarded by lock
  private List<String> routes = List.of(); // guarded by lock

  private ApiServer(Builder b) {
    this.bind = b.bind;
    this.requestedPort = b.port;
    this.settings = new ApiApp.Settings(b.errand, b.token, b.maxBodyBytes, b.eventBuffer,
        b.extraRoutes, b.labels);
  }

  /** A builder for the API of {@code errand}: 127.0.0.1, port 8080, no token, 1 MiB bodies. */
  public static Builder builder(Errand errand) {
    return new Builder(Objects.requireNonNull(errand, "errand"));
  }

  /**
   * Starts listening and returns the port bound (useful with port 0).
   *
   * @throws IllegalStateException if it is already started, or the port cannot be bound
   */
  public int start() {
    synchronized (lock) {
      if (app != null) {
        throw new IllegalStateException("the API server is already started, on port " + port);
      }
      ApiApp a = ApiApp.create(settings, config ->
          config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors())));
      try {
        a.javalin.start(bind, requestedPort);
      } catch (RuntimeException e) {
        a.close();
        throw new IllegalStateException("cannot listen on " + bind + ":" + requestedPort + ": "
            + e.getMessage(), e);
      }
      app = a;
      port = a.javalin.port();
      routes = a.routes();
      return port;
    }
  }

  /** The port it listens on, or -1 when it is not started. */
  public int port() {
    synchronized (lock) {
      return port;
    }
  }

  /**
   * The routes it registered at its last start, as {@code "GET /api/tasks/{id}"}, in the order
   * of registration: what {@code OpenApiTest} holds the OpenAPI document to, and what a
   * plugin's test holds its own routes to.
   */
  public List<String> routes() {
    synchronized (lock) {
      return routes;
    }
  }

  /**
   * Stops listening: open event streams end, requests in progress are cut short. Idempotent.
   * The Errand keeps running.
   */
  public void stop() {
    synchronized (lock) {
      if (app == null) {
        return;
      }
      app.close(); // releases the stream threads first, so that Jetty need not wait on them
      app.javalin.stop();
      app = null;
      port = -1;
    }
  }

  /** The settings of an {@link ApiServer}; {@link #build()} checks them. */
  public static final class Builder {
    private final Errand errand;
    private String bind = "127.0.0.1";
    private int port = 8080;
    private Secret token;
    private long maxBodyBytes = 1024 * 1024;
    private int eventBuffer = 10_000;
    private final List<ApiRoutes> extraRoutes = new ArrayList<>();
    private Map<String, String> labels = Map.of();

    private Builder(Errand errand) {
      this.errand = errand;
    }

    /** The address to listen on (default 127.0.0.1). */
    public Builder bind(String bind) {
      this.bind = bind;
      return this;
    }

    /** The port (default 8080); 0 picks a free one, which {@link #start()} returns. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The bearer token every {@code /api} request must carry, or null for none (default). */
    public Builder token(Secret token) {
      this.token = token;
      return this;
    }

    /** The largest request body accepted (default 1 MiB); larger ones get 413. */
    public Builder maxBodyBytes(long maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * How many recent events are kept for event-stream clients that reconnect with
     * {@code Last-Event-ID} (default 10,000); a client that missed more gets a gap event.
     */
    public Builder eventBuffer(int eventBuffer) {
      this.eventBuffer = eventBuffer;
      return this;
    }

    /**
     * Adds routes of an application or plugin (e.g. git-sync's {@code /api/users}), registered
     * after the API's own in the order added; each call adds one set.
     */
    public Builder routes(ApiRoutes routes) {
      this.extraRoutes.add(Objects.requireNonNull(routes, "routes"));
      return this;
    }

    /**
     * Names for people of some queues (Yao's {@code name}, e.g. "示例任务"), by queue name:
     * {@code /api/queues} shows each as the queue's {@code label} (null for the others).
     */
    public Builder labels(Map<String, String> labels) {
      this.labels = Map.copyOf(labels);
      return this;
    }

    /**
     * The server, not yet started.
     *
     * @throws IllegalArgumentException naming the first setting that is not allowed, among them
     *     a bind beyond this machine without a token ({@link BindAddress})
     */
    public ApiServer build() {
      require(bind != null && !bind.isBlank(), "bind", bind, "an address such as 127.0.0.1");
      Optional<String> tokenProblem;
      try {
        tokenProblem = BindAddress.tokenProblem("bind", bind, token != null);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("API server bind " + e.getMessage(), e);
      }
      tokenProblem.ifPresent(p -> {
        throw new IllegalArgumentException("API server token " + p);
      });
      require(port >= 0 && port <= 65_535, "port", port, "between 0 and 65535");
      checkLimits(maxBodyBytes, eventBuffer);
      return new ApiServer(this);
    }

    /** The checks of the settings {@link ApiServlet} shares. */
    static void checkLimits(long maxBodyBytes, int eventBuffer) {
      require(maxBodyBytes >= 1024 && maxBodyBytes <= Integer.MAX_VALUE - 8, "maxBodyBytes",
          maxBodyBytes, "between 1024 and 2147483639");
      require(eventBuffer >= 16 && eventBuffer <= 10_000_000, "eventBuffer", eventBuffer,
          "between 16 and 10000000");
    }

    private static void require(boolean ok, String setting, Object value, String allowed) {
      if (!ok) {
        throw new IllegalArgumentException("API server " + setting + " must be " + allowed
            + ", was " + value);
      }
    }
  }
}
