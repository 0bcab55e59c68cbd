package io.errand.http;

import io.errand.api.Errand;
import io.errand.common.Secret;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One Javalin application holding the whole API (routes, event stream, metrics, dashboard),
 * whether it then listens on a port of its own ({@link ApiServer}) or is handed as a servlet
 * to the application's server ({@link ApiServlet}). All its routes are registered here, up
 * front, as Javalin 7 wants them; {@link #close()} ends the event streams and the metrics.
 */
final class ApiApp {
  /** The request methods of routes (not of before and after handlers). */
  private static final Set<String> HTTP_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  /** The request attribute holding the path the API's own paths start under (may be ""). */
  private static final String BASE = "io.errand.http.base";

  /**
   * How much of an unread body is read and dropped before the connection is given up, at the
   * least: closing a socket with unread bytes resets it, and the client may lose the answer.
   */
  private static final long DRAIN_AT_LEAST = 2L * 1024 * 1024;

  /** What both ways of serving the API are configured with. */
  record Settings(Errand errand, Secret token, long maxBodyBytes, int eventBuffer,
      List<ApiRoutes> extraRoutes, Map<String, String> labels) {
    Settings {
      extraRoutes = List.copyOf(extraRoutes);
      labels = Map.copyOf(labels);
    }
  }

  final Javalin javalin;
  private final EventLog events;
  private final Metrics metrics;
  private final List<String> routes;

  private ApiApp(Javalin javalin, EventLog events, Metrics metrics, List<String> routes) {
    this.javalin = javalin;
    this.events = events;
    this.metrics = metrics;
    this.routes = routes;
  }

  /**
   * Builds the application; {@code server} adds what only one way of serving needs. Its routes
   * are the API's own paths ({@code /api/...}): served under a path, the request's context path
   * holds that path ({@link ApiServlet}).
   */
  static ApiApp create(Settings s, Consumer<JavalinConfig> server) {
    Errand errand = s.errand();
    JsonBodies json = new JsonBodies(s.maxBodyBytes());
    Views views = new Views(json.mapper(), s.labels());
    EventLog log = new EventLog(s.eventBuffer(), errand.cluster().isPresent());
    Metrics m = new Metrics(errand);
    EventStream stream = new EventStream(log, errand, views, json.mapper(), ApiServer.HEARTBEAT);
    BearerAuth auth = new BearerAuth(s.token());
    List<String> added = new ArrayList<>();
    Javalin javalin;
    try {
      javalin = Javalin.create(config -> {
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.startup.startupWatcherEnabled = false;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = s.maxBodyBytes();
        config.events.handlerAdded(h -> {
          if (HTTP_METHODS.contains(h.getHttpMethod().name())) {
            added.add(h.getHttpMethod().name() + " " + h.getPath());
          }
        });
        server.accept(config);
        RoutesConfig app = config.routes;
        new ErrorMapper(json).install(app);
        app.before(ctx -> ctx.attribute(BASE, ctx.contextPath()));
        app.before(auth::checkPath);
        app.beforeMatched(auth::checkEndpoint);
        new QueueRoutes(errand, json, views).register(app);
        new QueueControlRoutes(errand, json, views).register(app);
        new TaskRoutes(errand, json, views).register(app);
        new SupervisorRoutes(errand, json, views).register(app);
        new ScheduleRoutes(errand, json, views).register(app);
        RouteKit kit = new RouteKit(app, errand, json, views);
        s.extraRoutes().forEach(r -> r.register(kit));
        new BatchRoutes(errand, json, views).register(app);
        new SearchRoutes(errand, json, views).register(app);
        new HistoryRoutes(errand, json, views).register(app);
        new BulkRoutes(errand, json, views).register(app);
        new NodeRoutes(errand, json, views).register(app);
        new DashboardRoutes().register(app);
        new ProbeRoutes(errand, json, views).register(app);
        new OpenApiRoutes().register(app);
        app.get("/api/events", stream::handle);
        app.get("/metrics", m::handle);
        app.after(ctx -> drainBody(ctx, Math.max(s.maxBodyBytes(), DRAIN_AT_LEAST)));
      });
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    log.subscribe(errand);
    m.subscribe();
    m.countDropped("http-events", log.subscription());
    m.gaugeClients(stream.clients());
    return new ApiApp(javalin, log, m, List.copyOf(added));
  }

  /**
   * The path the API's own paths start under for this request ("" on a server of its own; the
   * application's context path and the servlet's path under {@link ApiServlet}), for links and
   * {@code Location} headers.
   */
  static String base(Context ctx) {
    String base = ctx.attribute(BASE);
    return base == null ? "" : base;
  }

  /**
   * Reads what is left of a request body that its route did not read (an answer refused
   * before reading it, a body over the limit), up to a bound, so that the connection can carry the client's
   * next request; with more left, the connection is closed, and the answer says so. Without
   * this the server closes such a connection after answering, and a client that sends its next
   * request on it gets no answer.
   */
  private static void drainBody(Context ctx, long limit) {
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] buffer = new byte[8192];
      long left = limit;
      int n;
      while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
        left -= n;
      }
      if (left <= 0 && in.read() >= 0) {
        ctx.header("Connection", "close");
      }
    } catch (IOException | IllegalStateException e) {
      ctx.header("Connection", "close"); // unreadable (a reader was taken, or the peer left)
    }
  }

  /** The routes registered, as {@code "GET /api/tasks/{id}"}. */
  List<String> routes() {
    return routes;
  }

  /** Ends the open event streams and unbinds the metrics; the caller stops serving. */
  void close() {
    events.close(); // releases the stream threads first, so that the server need not wait
    metrics.close();
  }
}
