package io.errand.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Path and query parameters, checked, with messages that name the parameter. */
final class Params {
  /**
   * A whole number as this API writes it: ASCII digits, no plus sign, no leading zero. Java's
   * own parsing also takes "+1", "01" and other scripts' digits ("１２"), which would let two
   * spellings name one task.
   */
  private static final Pattern WHOLE = Pattern.compile("-?(0|[1-9][0-9]{0,18})");

  private Params() {}

  /**
   * {@code raw} as a whole number written as above, or empty when it is not one (or does not
   * fit a long).
   */
  static OptionalLong whole(String raw) {
    if (raw == null || !WHOLE.matcher(raw).matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(raw));
    } catch (NumberFormatException e) { // 19 digits beyond Long.MAX_VALUE
      return OptionalLong.empty();
    }
  }

  /** The path parameter {@code name} as a task id: a positive whole number. */
  static long id(Context ctx, String name) {
    String raw = ctx.pathParam(name);
    long id = whole(raw).orElse(0);
    if (id > 0) {
      return id;
    }
    throw ApiException.badRequest("invalid_id", "'" + JsonBodies.abbreviate(raw, 40)
        + "' is not a task id; ids are positive whole numbers in ASCII digits, without sign"
        + " or leading zero, e.g. 12");
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

  /**
   * The query parameter {@code name}, or null when absent.
   *
   * @throws ApiException 400 when it is given more than once, or empty: {@code ?queue=} would
   *                      otherwise quietly mean "no filter"
   */
  static String query(Context ctx, String name) {
    List<String> values = ctx.queryParams(name);
    if (values.size() > 1) {
      throw invalidQuery("query parameter '" + name + "' is given " + values.size()
          + " times; give it once");
    }
    String v = values.isEmpty() ? null : values.get(0);
    if (v != null && v.isEmpty()) {
      throw invalidQuery("query parameter '" + name + "' is empty; give a value, or leave the"
          + " parameter out");
    }
    return v;
  }

  /** The query parameter {@code name} as a whole number in [{@code min}, {@code max}]. */
  static long queryLong(Context ctx, String name, long min, long max, long fallback) {
    String v = query(ctx, name);
    if (v == null) {
      return fallback;
    }
    OptionalLong n = whole(v);
    if (n.isPresent() && n.getAsLong() >= min && n.getAsLong() <= max) {
      return n.getAsLong();
    }
    throw invalidQuery("query parameter '" + name + "' must be a whole number from " + min
        + " to " + max + ", got '" + JsonBodies.abbreviate(v, 40) + "'");
  }

  static ApiException invalidQuery(String message) {
    return ApiException.badRequest("invalid_query", message);
  }
}
