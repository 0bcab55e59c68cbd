package io.errand.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.TaskError;
import java.util.ArrayList;
import java.util.List;

/**
 * For stores that keep JSON: a task's errors as a JSON array of
 * {@code {"attempt", "type", "message", "at"}} objects, {@code at} in epoch microseconds. A
 * store appends one element in SQL, so a change never reads the array back.
 */
public final class StoredErrors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StoredErrors() {}

  /** One error as the JSON object a store appends to the array (null stays null). */
  public static String encode(TaskError e) {
    if (e == null) {
      return null;
    }
    ObjectNode o = MAPPER.createObjectNode();
    o.put("attempt", e.attempt());
    o.put("type", e.type());
    o.put("message", e.message());
    o.put("at", EpochMicros.of(e.at()));
    return o.toString();
  }

  /**
   * The errors of a stored array, oldest first (none for null).
   *
   * @throws IllegalStateException naming the text, if it is not such an array
   */
  public static List<TaskError> decode(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      JsonNode array = MAPPER.readTree(json);
      List<TaskError> errors = new ArrayList<>(array.size());
      for (JsonNode o : array) {
        errors.add(new TaskError(o.get("attempt").asInt(), o.get("type").asText(),
            o.get("message").asText(), EpochMicros.instant(o.get("at").asLong())));
      }
      return errors;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException("stored errors cannot be read: " + json, e);
    }
  }

}
