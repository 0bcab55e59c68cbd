package io.errand.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard (DESIGN §7): one HTML page, its ES modules and its style sheet, read from the
 * jar's {@code dashboard/} folder and served at {@code /} (and {@code /dashboard}) and
 * {@code /dashboard/<file>}. Nothing comes from elsewhere: the Content-Security-Policy allows
 * this origin only, and the page reads all its data through {@code /api}, with the token when
 * the server has one.
 *
 * <p>The files need no token (they hold no data). They are answered with an ETag and
 * {@code Cache-Control: no-cache}: a browser keeps them but asks each time whether they changed,
 * so a new version of the server is picked up at the next load, without file names that change.
 */
final class DashboardRoutes {
  /** Only this origin, no inline script or style, no framing, no plug-ins. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self';"
      + " style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none';"
      + " form-action 'self'; frame-ancestors 'none'";
  private static final String FOLDER = "dashboard/";
  private static final String INDEX = "index.html";
  private static final Pattern FILE_NAME =
      Pattern.compile("[a-z][a-z0-9-]{0,60}\\.(html|js|css|svg)");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");

  /** A file of the dashboard, as it is sent. */
  private record Asset(byte[] bytes, String contentType, String etag) {}

  private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

  void register(RoutesConfig app) {
    for (String page : List.of("/", "/dashboard")) {
      app.get(page, ctx -> serve(ctx, INDEX));
      app.head(page, ctx -> serve(ctx, INDEX)); // Javalin's own HEAD skips the headers
    }
    app.get("/dashboard/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
    app.head("/dashboard/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
  }

  private void serve(Context ctx, String name) {
    Params.only(ctx, List.of());
    // The page names its files from the root; served under a path (ApiServlet), from there.
    String base = name.equals(INDEX) ? ApiApp.base(ctx) : "";
    Asset asset = (FILE_NAME.matcher(name).matches()
        ? assets.computeIfAbsent(base + "|" + name, k -> load(name, base))
        : Optional.<Asset>empty())
        .orElseThrow(() -> new ApiException(404, "not_found", "the dashboard has no file '"
            + JsonBodies.abbreviate(name, 80) + "'; open / for the dashboard"));
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("ETag", asset.etag());
    String seen = ctx.header("If-None-Match");
    if (seen != null && seen.contains(asset.etag())) {
      ctx.status(304);
      return;
    }
    ctx.status(200);
    ctx.contentType(asset.contentType());
    ctx.result(asset.bytes());
  }

  private Optional<Asset> load(String name, String base) {
    // Through the class, not its loader: on the module path that is the module's own
    // Module#getResourceAsStream (the files are in this module, found whatever loader or
    // layer holds it); on the class path it is the loader as before.
    try (InputStream in = DashboardRoutes.class.getResourceAsStream("/" + FOLDER + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      if (!base.isEmpty()) {
        bytes = new String(bytes, StandardCharsets.UTF_8)
            .replace("=\"/dashboard/", "=\"" + base + "/dashboard/")
            .getBytes(StandardCharsets.UTF_8);
      }
      String extension = name.substring(name.lastIndexOf('.') + 1);
      return Optional.of(new Asset(bytes, TYPES.get(extension), etag(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard file " + FOLDER + name
          + " from the jar", e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
