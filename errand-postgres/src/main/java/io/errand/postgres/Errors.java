package io.errand.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.TaskError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code errors} column: a JSON array (as text) of {@code {"attempt", "type", "message",
 * "at"}} objects, {@code at} in epoch microseconds. An error is appended in SQL
 * ({@link #APPEND}), so a change never reads the array back to add to it. Text rather than
 * {@code jsonb}: jsonb refuses some JSON that Jackson writes (a {@code \u0000} in a message).
 */
final class Errors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * {@code errors} with one more element, given twice as parameters (a JSON object as text, or
   * null to leave it as it is).
   */
  static final String APPEND = "errors = CASE WHEN ?::text IS NULL THEN errors WHEN errors IS "
      + "NULL THEN '[' || ?::text || ']' ELSE left(errors, -1) || ',' || ?::text || ']' END";

  private Errors() {}

  /** One error as the JSON object appended to the array. */
  static String encode(TaskError e) {
    if (e == null) {
      return null;
    }
    ObjectNode o = MAPPER.createObjectNode();
    o.put("attempt", e.attempt());
    o.put("type", e.type());
    o.put("message", e.message());
    Instant at = e.at();
    o.put("at", Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L),
        at.getNano() / 1000));
    return o.toString();
  }

  static List<TaskError> decode(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      JsonNode array = MAPPER.readTree(json);
      List<TaskError> errors = new ArrayList<>(array.size());
      for (JsonNode o : array) {
        long micros = o.get("at").asLong();
        errors.add(new TaskError(o.get("attempt").asInt(), o.get("type").asText(),
            o.get("message").asText(), Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000L)));
      }
      return errors;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored errors cannot be read: " + json, e);
    }
  }
}
