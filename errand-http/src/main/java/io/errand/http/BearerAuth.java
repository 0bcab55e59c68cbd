package io.errand.http;

import io.errand.common.Secret;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.Map;

/**
 * Guards the {@code /api} routes with a bearer token when one is configured. The token is
 * compared in constant time ({@link Secret#matches}) and never written anywhere: not in the
 * answer, not in a log line.
 */
final class BearerAuth {
  private static final String PREFIX = "Bearer ";
  private static final String CHALLENGE = "Bearer realm=\"errand\"";

  private final Secret token;

  /** {@code token} may be null: then every request passes. */
  BearerAuth(Secret token) {
    this.token = token;
  }

  /**
   * Runs before every request, matched or not, HEAD included (which Javalin answers for GET
   * routes without running them): everything whose path is under {@code /api} needs the token,
   * so that even the existence of a route is not shown without it.
   */
  void checkPath(Context ctx) {
    // Under ApiServlet the context path holds the path the API is served under.
    String path = ctx.path().substring(ctx.contextPath().length());
    if (path.startsWith("/api/") || path.equals("/api")) {
      check(ctx);
    }
  }

  /**
   * Runs before every matched route, by the route's own path: a request that reached an
   * {@code /api} route by a path spelled otherwise still needs the token.
   */
  void checkEndpoint(Context ctx) {
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    if (matched != null && matched.path.startsWith("/api/")) {
      check(ctx);
    }
  }

  private void check(Context ctx) {
    if (token == null) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw refuse("this API needs a token: send the header 'Authorization: Bearer <token>'",
          CHALLENGE);
    }
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw refuse("the Authorization header must be 'Bearer <token>'",
          CHALLENGE + ", error=\"invalid_request\"");
    }
    if (!token.matches(header.substring(PREFIX.length()).trim())) {
      throw refuse("the bearer token is not valid", CHALLENGE + ", error=\"invalid_token\"");
    }
  }

  private static ApiException refuse(String message, String challenge) {
    return new ApiException(401, "unauthorized", message, Map.of("WWW-Authenticate", challenge));
  }
}
