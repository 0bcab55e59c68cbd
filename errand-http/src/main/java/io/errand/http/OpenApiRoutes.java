package io.errand.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The OpenAPI 3 document of this API at {@code /api/openapi.json}: the jar's
 * {@code api/openapi.json}, written by hand rather than generated from the routes. The routes'
 * code knows paths and methods but not what a person needs (what each status means, the body's
 * fields and their ranges), and a generator would need annotations on every handler or a second
 * route table; the document is the contract, read and reviewed as one file. What keeps it true
 * is {@code OpenApiTest}: the routes the server registers are exactly the documented ones, and
 * every documented status is answered by a real call.
 */
final class OpenApiRoutes {
  static final String PATH = "/api/openapi.json";
  private static final String RESOURCE = "api/openapi.json";

  private final byte[] document;

  OpenApiRoutes() {
    // The module's own resource on the module path (Class#getResourceAsStream), as the dashboard.
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream("/" + RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar has no " + RESOURCE + ": the build is broken");
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
    }
  }

  void register(RoutesConfig app) {
    app.get(PATH, this::serve);
  }

  private void serve(Context ctx) {
    Params.only(ctx, List.of());
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.status(200);
    ctx.contentType("application/json");
    ctx.result(document);
  }
}
