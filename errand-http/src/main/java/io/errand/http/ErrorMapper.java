package io.errand.http;

import io.errand.api.ErrandException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into {@code {"error": {"code": ..., "message": ...}}} with the right
 * status: the API's own refusals, Errand's exceptions (by their {@link ErrandException#code()}),
 * Javalin's 404/405/413, and anything unexpected (500, logged here with its stack trace, which
 * never reaches the caller).
 */
final class ErrorMapper {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
  /** Seconds a refused submit should wait before trying again when Errand is shutting down. */
  static final String SHUTDOWN_RETRY_AFTER = "5";
  /** Seconds a refused submit should wait before trying again when its queue is full. */
  static final String FULL_RETRY_AFTER = "1";

  private final JsonBodies json;

  ErrorMapper(JsonBodies json) {
    this.json = json;
  }

  void install(RoutesConfig app) {
    app.exception(ApiException.class, (e, ctx) -> write(ctx, e));
    app.exception(ErrandException.class, (e, ctx) -> write(ctx, fromErrand(e)));
    app.exception(HttpResponseException.class, (e, ctx) -> write(ctx, fromJavalin(e, ctx)));
    app.exception(Exception.class, (e, ctx) -> {
      log.error("{} {} failed", ctx.method(), ctx.path(), e);
      write(ctx, internal());
    });
  }

  /** The JSON bytes of an error, for the places outside Javalin (Jetty's own errors). */
  static byte[] body(String code, String message) {
    return ("{\"error\":{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void write(Context ctx, ApiException e) {
    e.headers().forEach(ctx::header);
    Map<String, String> error = new LinkedHashMap<>(); // code first, for people reading it
    error.put("code", e.code());
    error.put("message", e.getMessage() == null ? "" : e.getMessage());
    json.write(ctx, e.status(), Map.of("error", error));
  }

  static ApiException fromErrand(ErrandException e) {
    String code = e.code();
    return switch (code) {
      case "queue_full" -> new ApiException(429, code, e.getMessage(),
          Map.of("Retry-After", FULL_RETRY_AFTER));
      case "shutting_down" -> new ApiException(503, code, e.getMessage(),
          Map.of("Retry-After", SHUTDOWN_RETRY_AFTER));
      case "store_failed" -> {
        log.error("the store failed", e);
        yield new ApiException(503, code, "the task store failed; see the server log ("
            + e.getMessage() + ")");
      }
      case "invalid_task", "invalid_spec" -> new ApiException(400, code, e.getMessage());
      case "schedules_unsupported", "search_unsupported", "history_unsupported" ->
          new ApiException(409, code, e.getMessage());
      default -> code.startsWith("unknown_") ? new ApiException(404, code, e.getMessage())
          : unexpected(e);
    };
  }

  private static ApiException unexpected(ErrandException e) {
    log.error("unexpected Errand error ({})", e.code(), e);
    return new ApiException(500, e.code(), e.getMessage());
  }

  private static ApiException fromJavalin(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 404 -> new ApiException(404, "not_found", "there is no route " + ctx.method() + " "
          + JsonBodies.abbreviate(ctx.path(), 200) + "; the routes are listed in docs/api.md");
      case 405 -> {
        String allowed = e.getDetails().getOrDefault("availableMethods", "");
        yield new ApiException(405, "method_not_allowed", ctx.method() + " is not allowed on "
            + JsonBodies.abbreviate(ctx.path(), 200)
            + (allowed.isEmpty() ? "" : "; use " + allowed),
            allowed.isEmpty() ? Map.of() : Map.of("Allow", allowed));
      }
      case 413 -> new ApiException(413, "body_too_large", "the body is too large: "
          + e.getMessage());
      default -> new ApiException(e.getStatus(), codeOf(e.getStatus()), e.getMessage());
    };
  }

  static ApiException internal() {
    return new ApiException(500, "internal_error",
        "the server failed to answer this request; the server log has the details");
  }

  /** A code for a bare HTTP status (for errors that arise before any route). */
  static String codeOf(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "body_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 431 -> "headers_too_large";
      case 500 -> "internal_error";
      case 503 -> "unavailable";
      default -> "http_" + status;
    };
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : (s == null ? "" : s).toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
