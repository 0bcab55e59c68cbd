package io.errand.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.Errand;
import io.javalin.config.RoutesConfig;
import java.util.Objects;

/**
 * What {@link ApiRoutes} registers its routes with: the Errand the server shows, the API's JSON
 * mapper, and {@code GET} and {@code POST} routes whose handlers see an {@link ApiRequest}.
 * Javalin stays hidden, so that a plugin depends on this small surface only.
 */
public final class RouteKit {
  private final RoutesConfig app;
  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  RouteKit(RoutesConfig app, Errand errand, JsonBodies json, Views views) {
    this.app = app;
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  /** One route's work: read the request, answer it, or throw {@link ApiException}. */
  @FunctionalInterface
  public interface Route {
    /** Answers {@code request}; an {@link ApiException} becomes its error answer. */
    void handle(ApiRequest request);
  }

  /** The Errand this server shows. */
  public Errand errand() {
    return errand;
  }

  /** The mapper the API reads and writes JSON with (ISO-8601 times, no unknown types). */
  public ObjectMapper mapper() {
    return json.mapper();
  }

  /** Registers {@code GET path}, e.g. {@code /api/users/{name}}. */
  public void get(String path, Route route) {
    Objects.requireNonNull(route, "route");
    app.get(path, ctx -> route.handle(new ApiRequest(ctx, json, views)));
  }

  /** Registers {@code POST path}. */
  public void post(String path, Route route) {
    Objects.requireNonNull(route, "route");
    app.post(path, ctx -> route.handle(new ApiRequest(ctx, json, views)));
  }
}
