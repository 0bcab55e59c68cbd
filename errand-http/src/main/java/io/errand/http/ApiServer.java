package io.errand.http;

import io.errand.api.Errand;
import io.errand.common.BindAddress;
import io.errand.common.Secret;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * running.
 */
public final class ApiServer {
  /** The request methods of routes (not of before and after handlers). */
  private static final Set<String> HTTP_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  /** How often an idle event stream sends a heartbeat, well under Jetty's 30 s idle time-out. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final Errand errand;
  private final String bind;
  private final int requestedPort;
  private final Secret token;
  private final long maxBodyBytes;
  private final int eventBuffer;
  private final List<ApiRoutes> extraRoutes;
  private final Map<String, String> labels;
  private final Object lock = new Object();
  private Javalin app; // guarded by lock
  private EventLog events; // guarded by lock
  private Metrics metrics; // guarded by lock
  private int port = -1; // guarded by lock
  private List<String> routes = List.of(); // guarded by lock

  private ApiServer(Builder b) {
    this.errand = b.errand;
    this.bind = b.bind;
    this.requestedPort = b.port;
    this.token = b.token;
    this.maxBodyBytes = b.maxBodyBytes;
    this.eventBuffer = b.eventBuffer;
    this.extraRoutes = List.copyOf(b.extraRoutes);
    this.labels = b.labels;
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
      JsonBodies json = new JsonBodies(maxBodyBytes);
      Views views = new Views(json.mapper(), labels);
      EventLog log = new EventLog(eventBuffer, errand.cluster().isPresent());
      Metrics m = new Metrics(errand);
      EventStream stream = new EventStream(log, errand, views, json.mapper(), HEARTBEAT);
      BearerAuth auth = new BearerAuth(token);
      List<String> added = new ArrayList<>();
      Javalin javalin = Javalin.create(config -> {
        config.useVirtualThreads = true;
        config.showJavalinBanner = false;
        config.startupWatcherEnabled = false;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = maxBodyBytes;
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
        config.events.handlerAdded(h -> {
          if (HTTP_METHODS.contains(h.getHttpMethod().name())) {
            added.add(h.getHttpMethod().name() + " " + h.getPath());
          }
        });
      });
      new ErrorMapper(json).install(javalin);
      javalin.before(auth::checkPath);
      javalin.beforeMatched(auth::checkEndpoint);
      new QueueRoutes(errand, json, views).register(javalin);
      new QueueControlRoutes(errand, json, views).register(javalin);
      new TaskRoutes(errand, json, views).register(javalin);
      new SupervisorRoutes(errand, json, views).register(javalin);
      new ScheduleRoutes(errand, json, views).register(javalin);
      RouteKit kit = new RouteKit(javalin, errand, json, views);
      extraRoutes.forEach(r -> r.register(kit));
      new BatchRoutes(errand, json, views).register(javalin);
      new SearchRoutes(errand, json, views).register(javalin);
      new HistoryRoutes(errand, json, views).register(javalin);
      new BulkRoutes(errand, json, views).register(javalin);
      new NodeRoutes(errand, json, views).register(javalin);
      new DashboardRoutes().register(javalin);
      new ProbeRoutes(errand, json, views).register(javalin);
      new OpenApiRoutes().register(javalin);
      javalin.get("/api/events", stream::handle);
      javalin.get("/metrics", m::handle);
      log.subscribe(errand);
      m.subscribe();
      m.countDropped("http-events", log.subscription());
      m.gaugeClients(stream.clients());
      try {
        javalin.start(bind, requestedPort);
      } catch (RuntimeException e) {
        log.close();
        m.close();
        throw new IllegalStateException("cannot listen on " + bind + ":" + requestedPort + ": "
            + e.getMessage(), e);
      }
      app = javalin;
      events = log;
      metrics = m;
      port = javalin.port();
      routes = List.copyOf(added);
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
      events.close(); // releases the stream threads first, so that Jetty need not wait on them
      app.stop();
      metrics.close();
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
      require(maxBodyBytes >= 1024 && maxBodyBytes <= Integer.MAX_VALUE - 8, "maxBodyBytes",
          maxBodyBytes, "between 1024 and 2147483639");
      require(eventBuffer >= 16 && eventBuffer <= 10_000_000, "eventBuffer", eventBuffer,
          "between 16 and 10000000");
      return new ApiServer(this);
    }

    private static void require(boolean ok, String setting, Object value, String allowed) {
      if (!ok) {
        throw new IllegalArgumentException("API server " + setting + " must be " + allowed
            + ", was " + value);
      }
    }
  }
}
