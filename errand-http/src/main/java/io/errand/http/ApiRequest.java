package io.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;

/**
 * One request to a plugin's route ({@link RouteKit.Route}), read and answered as the API's own
 * routes do: unknown query parameters and body fields are refused, bodies are size-limited JSON
 * objects, answers are JSON.
 */
public final class ApiRequest {
  private final Context ctx;
  private final JsonBodies json;
  private final Views views;

  ApiRequest(Context ctx, JsonBodies json, Views views) {
    this.ctx = ctx;
    this.json = json;
    this.views = views;
  }

  /** The path parameter {@code name} as it came (decoded). */
  public String pathParam(String name) {
    return ctx.pathParam(name);
  }

  /**
   * Refuses query parameters other than {@code allowed}.
   *
   * @throws ApiException 400 {@code invalid_query} naming the parameter and the allowed ones
   */
  public void onlyQuery(List<String> allowed) {
    Params.only(ctx, allowed);
  }

  /**
   * The body as a JSON object that may hold only {@code fields}; no body is an empty object
   * unless {@code required}.
   *
   * @throws ApiException 413 over the size limit, 415 for another media type, 400 for a body
   *     that is not such an object ({@code example} shows one)
   */
  public Body body(boolean required, String example, List<String> fields) {
    return Body.of(json.object(ctx, required, example), fields);
  }

  /** A new, empty JSON object to answer with. */
  public ObjectNode object() {
    return views.object();
  }

  /** Sets a header of the answer, e.g. {@code Location}. */
  public void header(String name, String value) {
    ctx.header(name, value);
  }

  /** Answers {@code status} with {@code body} as JSON. */
  public void reply(int status, JsonNode body) {
    json.write(ctx, status, body);
  }
}
