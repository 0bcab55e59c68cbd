package io.errand.http;

/**
 * Routes that an application or a plugin adds to an {@link ApiServer}
 * ({@link ApiServer.Builder#routes}): they get the same JSON bodies, error answers, bearer
 * token and virtual threads as the API's own. Each route must also be written in
 * {@code /api/openapi.json} and {@code docs/api.md}.
 */
@FunctionalInterface
public interface ApiRoutes {
  /**
   * Registers the routes with {@code kit}; called once at each {@link ApiServer#start()}.
   *
   * @throws RuntimeException to refuse the start, which then fails
   */
  void register(RouteKit kit);
}
