package io.errand.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.ConcurrencyKey;

/**
 * Reads a task's concurrency key value, the same way in every store that reads it in Java:
 * the submit's key, or the text of a field of the arguments' JSON. A missing field, a null or
 * an object or array there, or unreadable JSON, give the empty text: such tasks share one key.
 */
public final class FlowKeys {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FlowKeys() {}

  /**
   * The key value of a task with submit key {@code submitKey} (may be null) and arguments
   * {@code argsJson} (JSON text, may be null).
   */
  public static String valueOf(ConcurrencyKey key, String submitKey, String argsJson) {
    return switch (key) {
      case ConcurrencyKey.SubmitKey s -> submitKey == null ? "" : submitKey;
      case ConcurrencyKey.ArgsField f -> field(f.pointer(), argsJson);
    };
  }

  private static String field(String pointer, String argsJson) {
    if (argsJson == null) {
      return "";
    }
    try {
      JsonNode at = JSON.readTree(argsJson).at(pointer);
      return at.isValueNode() && !at.isNull() ? at.asText() : "";
    } catch (JsonProcessingException unreadable) {
      return "";
    }
  }
}
