package io.errand.http;

import io.errand.api.Errand;
import io.errand.common.Secret;
import io.javalin.http.servlet.JavalinServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The same API and dashboard as {@link ApiServer}, as a servlet that the application's own
 * server (Tomcat, Jetty; Servlet 6) serves under a path such as {@code /errand}: the API at
 * {@code /errand/api/...}, the dashboard at {@code /errand/}, {@code /errand/metrics},
 * {@code /errand/livez} and {@code /errand/readyz}. The token guards {@code /errand/api} as it
 * guards {@code /api} on a server of its own.
 *
 * <pre>{@code
 * ApiServlet api = ApiServlet.builder(errand).path("/errand")
 *     .token(Secret.of(System.getenv("ERRAND_TOKEN"))).build();
 * servletContext.addServlet("errand", api.servlet()).addMapping(api.urlMapping());
 * ...
 * api.close();
 * }</pre>
 *
 * <p>The application's server decides the address, the threads (an event-stream client holds
 * one of its request threads while it is connected) and what happens to malformed requests.
 * The servlet is registered once; {@link #close()} ends the open event streams, so that the
 * server's graceful shutdown need not wait for them, and the Errand keeps running.
 */
public final class ApiServlet implements AutoCloseable {
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

  private final String path;
  private final ApiApp app;
  private final Servlet servlet;
  private final Object lock = new Object();
  private boolean closed; // guarded by lock

  private ApiServlet(String path, ApiApp app) {
    this.path = path;
    this.app = app;
    // Javalin's own servlet, not javalinServlet(): that one is Jetty's WebSocket servlet, which
    // needs a Jetty context and fails to load in Tomcat. The API serves no WebSocket.
    this.servlet = new Mounted(new JavalinServlet(app.javalin.unsafe));
  }

  /** A builder for the API of {@code errand}: path {@code /errand}, no token, 1 MiB bodies. */
  public static Builder builder(Errand errand) {
    return new Builder(Objects.requireNonNull(errand, "errand"));
  }

  /** The servlet to register with the application's server, at {@link #urlMapping()}. */
  public Servlet servlet() {
    return servlet;
  }

  /** The path it serves under, such as {@code /errand}. */
  public String path() {
    return path;
  }

  /** The servlet mapping to register {@link #servlet()} with: the path and {@code /*}. */
  public String urlMapping() {
    return path + "/*";
  }

  /** The routes it serves, as {@code "GET /api/tasks/{id}"}, under {@link #path()}. */
  public List<String> routes() {
    return app.routes();
  }

  /**
   * Ends the open event streams and unbinds its metrics; requests after it are still answered
   * until the application's server stops. Idempotent. The Errand keeps running.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (!closed) {
        closed = true;
        app.close();
      }
    }
  }

  /**
   * Hands each request to Javalin as if the path it is mapped at ({@code /errand}) were part of
   * the context path: Javalin routes by the path after the context path, so the API's routes
   * stay {@code /api/...} whatever the path, and links are made from the context path.
   */
  private static final class Mounted extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient JavalinServlet javalin;

    Mounted(JavalinServlet javalin) {
      this.javalin = javalin;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
      super.init(config);
      javalin.init(config);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws ServletException, IOException {
      if (request.getPathInfo() == null) { // "/errand": the page's links need "/errand/"
        String query = request.getQueryString();
        response.setStatus(308);
        response.setHeader("Location", request.getRequestURI() + "/"
            + (query == null ? "" : "?" + query));
        return;
      }
      javalin.service((ServletRequest) new HttpServletRequestWrapper(request) {
        @Override
        public String getContextPath() {
          return request.getContextPath() + request.getServletPath();
        }

        @Override
        public String getServletPath() {
          return "";
        }
      }, (ServletResponse) response);
    }
  }

  /** The settings of an {@link ApiServlet}; {@link #build()} checks them. */
  public static final class Builder {
    private final Errand errand;
    private String path = "/errand";
    private Secret token;
    private long maxBodyBytes = 1024 * 1024;
    private int eventBuffer = 10_000;
    private final List<ApiRoutes> extraRoutes = new ArrayList<>();
    private Map<String, String> labels = Map.of();

    private Builder(Errand errand) {
      this.errand = errand;
    }

    /**
     * The path to serve under (default {@code /errand}): one or more segments of letters,
     * digits and {@code . _ ~ -}, each after a {@code /}, with no {@code /} at the end.
     */
    public Builder path(String path) {
      this.path = path;
      return this;
    }

    /** The bearer token every {@code <path>/api} request must carry, or null for none. */
    public Builder token(Secret token) {
      this.token = token;
      return this;
    }

    /** The largest request body accepted (default 1 MiB); larger ones get 413. */
    public Builder maxBodyBytes(long maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** As {@link ApiServer.Builder#eventBuffer(int)} (default 10,000). */
    public Builder eventBuffer(int eventBuffer) {
      this.eventBuffer = eventBuffer;
      return this;
    }

    /** As {@link ApiServer.Builder#routes(ApiRoutes)}. */
    public Builder routes(ApiRoutes routes) {
      this.extraRoutes.add(Objects.requireNonNull(routes, "routes"));
      return this;
    }

    /** As {@link ApiServer.Builder#labels(Map)}. */
    public Builder labels(Map<String, String> labels) {
      this.labels = Map.copyOf(labels);
      return this;
    }

    /**
     * The servlet, its routes registered and its event log receiving the Errand's events.
     *
     * @throws IllegalArgumentException naming the first setting that is not allowed
     */
    public ApiServlet build() {
      require(path != null && PATH.matcher(path).matches(), "path", path == null ? null
          : "'" + JsonBodies.abbreviate(path, 80) + "'", "a path such as /errand (segments of"
          + " letters, digits and . _ ~ -, each after a /, no / at the end, not / alone)");
      ApiServer.Builder.checkLimits(maxBodyBytes, eventBuffer);
      return new ApiServlet(path, ApiApp.create(new ApiApp.Settings(errand, token,
          maxBodyBytes, eventBuffer, extraRoutes, labels), config -> { }));
    }

    private static void require(boolean ok, String setting, Object value, String allowed) {
      if (!ok) {
        throw new IllegalArgumentException("API servlet " + setting + " must be " + allowed
            + ", was " + value);
      }
    }
  }
}
