package io.errand.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.TaskError;
import java.util.ArrayList;
import java.util.List;

/**
 * For stores that keep JSON: a task's errors as a JSON array of
 * {@code {"attempt", "type", "message", "at"}} objects, {@code at} in epoch microseconds, with
 * {@code "causes"} (an array of {@code {"type", "message"}}), {@code "trace"} and
 * {@code "output"} when the error has them. A store appends one element in SQL, so a change never
 * reads the array back. Errors stored before causes were kept read back without them.
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
    if (!e.causes().isEmpty()) {
      ArrayNode causes = o.putArray("causes");
      for (TaskError.Cause c : e.causes()) {
        causes.addObject().put("type", c.type()).put("message", c.message());
      }
    }
    if (!e.trace().isEmpty()) {
      o.put("trace", e.trace());
    }
    if (!e.output().isEmpty()) {
      o.put("output", e.output());
    }
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
        List<TaskError.Cause> causes = new ArrayList<>();
        for (JsonNode c : o.path("causes")) {
          causes.add(new TaskError.Cause(c.get("type").asText(), c.path("message").asText()));
        }
        errors.add(new TaskError(o.get("attempt").asInt(), o.get("type").asText(),
            o.get("message").asText(), EpochMicros.instant(o.get("at").asLong()), causes,
            o.path("trace").asText(""), o.path("output").asText("")));
      }
      return errors;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException("stored errors cannot be read: " + json, e);
    }
  }

}
