package io.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.DurationText;
import io.errand.api.SubmitOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;

/**
 * The fields of one request body, checked: names outside the route's list are refused (naming
 * what is allowed, so a typo does not silently drop a setting), and each value must have its
 * type. Every refusal is a 400 {@code invalid_body} naming the field, what it must be and what
 * came. Routes of a plugin ({@link ApiRoutes}) get one from {@link ApiRequest#body}.
 */
public final class Body {
  private final ObjectNode node;

  private Body(ObjectNode node) {
    this.node = node;
  }

  /** {@code node}, which may hold only the fields {@code allowed}. */
  static Body of(ObjectNode node, List<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw invalid("unknown field '" + JsonBodies.abbreviate(name, 64) + "'; the fields are "
            + String.join(", ", allowed));
      }
    }
    return new Body(node);
  }

  /** Whether the body has {@code field} (even as JSON null). */
  public boolean has(String field) {
    return node.has(field);
  }

  /**
   * The field's value as it came (JSON null included).
   *
   * @throws ApiException 400 {@code invalid_body} when it is missing
   */
  public JsonNode required(String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      throw invalid("field '" + field + "' is missing");
    }
    return v;
  }

  /** A whole number in [{@code min}, {@code max}]. */
  long requiredLong(String field, long min, long max) {
    return number(field, required(field), min, max);
  }

  /**
   * A whole number in [{@code min}, {@code max}], or {@code fallback} when absent.
   *
   * @throws ApiException 400 {@code invalid_body} for anything else, naming the range
   */
  public long optionalLong(String field, long min, long max, long fallback) {
    JsonNode v = node.get(field);
    return v == null ? fallback : number(field, v, min, max);
  }

  /** A string of at most {@code maxLength} characters, or null when absent. */
  String optionalString(String field, int maxLength) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual() || v.textValue().length() > maxLength) {
      throw invalid("field '" + field + "' must be a string of at most " + maxLength
          + " characters, got " + kind(v));
    }
    return v.textValue();
  }

  /**
   * true or false, or false when absent.
   *
   * @throws ApiException 400 {@code invalid_body} for anything else
   */
  public boolean optionalBoolean(String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      return false;
    }
    if (!v.isBoolean()) {
      throw invalid("field '" + field + "' must be true or false, got " + kind(v));
    }
    return v.booleanValue();
  }

  /**
   * A submit's delay: a string like "30s", "250ms", "PT5M", or a whole number of milliseconds,
   * within {@link SubmitOptions#DELAY_RANGE}.
   */
  Duration optionalDelay(String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    Duration d;
    if (v.isIntegralNumber() && !v.canConvertToLong()) {
      throw outOfRange(field, SubmitOptions.DELAY_RANGE, v);
    } else if (v.isIntegralNumber()) {
      d = Duration.ofMillis(v.longValue());
    } else if (v.isTextual()) {
      try {
        d = DurationText.parse(v.textValue());
      } catch (DurationText.TooLongException e) {
        throw outOfRange(field, SubmitOptions.DELAY_RANGE, v);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw invalid("field '" + field + "': " + e.getMessage());
      }
    } else {
      throw invalid("field '" + field + "' must be a duration like \"30s\", \"250ms\" or"
          + " \"PT5M\", or a number of milliseconds, got " + kind(v));
    }
    if (!SubmitOptions.isDelay(d)) {
      throw outOfRange(field, SubmitOptions.DELAY_RANGE, v);
    }
    return d;
  }

  /**
   * A submit's time to run at: an ISO-8601 instant such as "2030-01-01T09:00:00Z" (an offset is
   * allowed) within {@link SubmitOptions#RUN_AT_RANGE}.
   */
  Instant optionalRunAt(String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    Instant at = null;
    if (v.isTextual()) {
      try {
        at = OffsetDateTime.parse(v.textValue()).toInstant();
      } catch (DateTimeParseException e) {
        // answered below
      }
    }
    if (at != null && !SubmitOptions.isRunAt(at)) {
      throw outOfRange(field, SubmitOptions.RUN_AT_RANGE, v);
    }
    if (at != null) {
      return at;
    }
    throw invalid("field '" + field + "' must be an ISO-8601 date and time with an offset, like"
        + " \"2030-01-01T09:00:00Z\", got " + kind(v));
  }

  private static long number(String field, JsonNode v, long min, long max) {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min
        || v.longValue() > max) {
      throw invalid("field '" + field + "' must be a whole number from " + min + " to " + max
          + ", got " + kind(v));
    }
    return v.longValue();
  }

  private static ApiException outOfRange(String field, String range, JsonNode v) {
    return invalid("field '" + field + "' must be " + range + ", got " + kind(v));
  }

  /** A 400 {@code invalid_body} with {@code message}, for a refusal the route decides on. */
  public static ApiException invalid(String message) {
    return ApiException.badRequest("invalid_body", message);
  }

  /** What a value is, for messages: its JSON type and a short rendering. */
  public static String kind(JsonNode v) {
    String type = switch (v.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
    if (v.isContainerNode() || v.isNull()) {
      return type;
    }
    return type + " (" + JsonBodies.abbreviate(v.toString(), 40) + ")";
  }

  /**
   * {@code s} cut to {@code max} characters with an ellipsis, so that a message quoting what a
   * client sent stays short.
   */
  public static String abbreviate(String s, int max) {
    return JsonBodies.abbreviate(s, max);
  }
}
