package io.errand.server.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.common.SettingException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads an option that is a map of names to text, such as the http handler's {@code headers}. */
final class MapOption {
  private MapOption() {}

  /**
   * Option {@code key} of {@code settings} as an ordered map; empty when it is not set. Numbers
   * and booleans are taken as their text, as YAML writers expect.
   *
   * @throws SettingException if it is not a map, or a value is not text, a number or a boolean
   */
  static Map<String, String> read(HandlerSettings settings, String key) {
    JsonNode n = settings.raw().get(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw new SettingException(settings.pathOf(key), "must be a map of names to text, was "
          + kind(n));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v == null || v.isNull() || !v.isValueNode() || v.isBinary()) {
        throw new SettingException(settings.pathOf(key) + "." + e.getKey(),
            "must be text, was " + (v == null ? "null" : kind(v)));
      }
      out.put(e.getKey(), v.asText());
    }
    return out;
  }

  private static String kind(JsonNode n) {
    return n.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
