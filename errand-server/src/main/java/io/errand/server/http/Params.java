package io.errand.server.http;

import io.javalin.http.Context;
import java.util.List;

/** Path and query parameters, checked, with messages that name the parameter. */
final class Params {
  private Params() {}

  /** The path parameter {@code name} as a task id: a positive whole number. */
  static long id(Context ctx, String name) {
    String raw = ctx.pathParam(name);
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("invalid_id", "'" + JsonBodies.abbreviate(raw, 40)
        + "' is not a task id; ids are positive whole numbers");
  }

  /** Refuses query parameters other than {@code allowed}: a typo must not widen a query. */
  static void only(Context ctx, List<String> allowed) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!allowed.contains(name)) {
        throw invalidQuery("unknown query parameter '" + JsonBodies.abbreviate(name, 40)
            + "'; the parameters are " + (allowed.isEmpty() ? "none" : String.join(", ", allowed)));
      }
    }
  }

  /** The query parameter {@code name}, or null when absent or empty. */
  static String query(Context ctx, String name) {
    List<String> values = ctx.queryParams(name);
    if (values.size() > 1) {
      throw invalidQuery("query parameter '" + name + "' is given " + values.size()
          + " times; give it once");
    }
    String v = values.isEmpty() ? null : values.get(0);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The query parameter {@code name} as a whole number in [{@code min}, {@code max}]. */
  static long queryLong(Context ctx, String name, long min, long max, long fallback) {
    String v = query(ctx, name);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalidQuery("query parameter '" + name + "' must be a whole number from " + min
        + " to " + max + ", got '" + JsonBodies.abbreviate(v, 40) + "'");
  }

  static ApiException invalidQuery(String message) {
    return ApiException.badRequest("invalid_query", message);
  }
}
