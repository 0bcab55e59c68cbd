package io.errand.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.TaskError;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code errors} column: a JSON array of {@code {"attempt", "type", "message", "at"}}
 * objects, {@code at} in epoch micros. An error is appended in SQL with {@code json_insert}, so
 * the writer never reads the array back to add to it.
 */
final class Errors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Errors() {}

  /** One error as the JSON object appended to the array. */
  static String encode(TaskError e) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("attempt", e.attempt());
    o.put("type", e.type());
    o.put("message", e.message());
    o.put("at", Row.micros(e.at()));
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
        errors.add(new TaskError(o.get("attempt").asInt(), o.get("type").asText(),
            o.get("message").asText(), Row.instant(o.get("at").asLong())));
      }
      return errors;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored errors cannot be read: " + json, e);
    }
  }
}
