package io.errand.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.errand.api.TaskEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and masks passwords written into URLs ({@code scheme://user:password@host}) anywhere in
 * text: the server's last line of defence, applied to everything a task record, an event or a
 * log line keeps, whatever handler or client wrote it. The user name stays ({@code ssh://git@}
 * and {@code https://oauth2:****@} remain readable and usable to tell what failed); only what
 * follows its colon becomes {@link Redaction#MASK}. Secrets belong in a handler's options
 * ({@code credentials}, {@code env} from {@code ${VAR}}), never in a task.
 */
public final class UrlPasswords {
  // scheme://user:password@ inside any text. The password runs to the last '@' before the
  // host part ends (a raw '@' in a password is common), but never across whitespace, quotes or
  // a path, so one URL's mask cannot swallow the text after it.
  private static final Pattern USER_PASSWORD = Pattern.compile(
      "\\b([A-Za-z][A-Za-z0-9+.-]*://)([^\\s/?#@:\"'<>]*):([^\\s/?#\"'<>]*)@");

  private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

  private UrlPasswords() {}

  /**
   * {@code text} with the password of every {@code scheme://user:password@} in it masked; text
   * without one is returned as it is (the same instance). Null stays null.
   */
  public static String mask(String text) {
    if (text == null || text.indexOf("://") < 0) {
      return text;
    }
    Matcher m = USER_PASSWORD.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    do {
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + m.group(2) + ":"
          + Redaction.MASK + "@"));
    } while (m.find());
    m.appendTail(sb);
    return sb.toString();
  }

  /** {@code e} with its message masked: events carry handlers' own words, as records do. */
  public static TaskEvent mask(TaskEvent e) {
    String message = mask(e.message());
    return message.equals(e.message()) ? e : new TaskEvent(e.type(), e.taskId(), e.queue(),
        e.status(), e.attempt(), e.current(), e.total(), message, e.at(), e.key(), e.seq());
  }

  /** Whether {@code text} holds a URL with a password that {@link #mask} would hide. */
  public static boolean in(String text) {
    return text != null && !mask(text).equals(text);
  }

  /**
   * {@code value}, a JSON value as plain Java ({@code Map}, {@code List}, text, numbers...), with
   * {@link #mask} applied to every text in it, map keys included. Maps and lists are copied only
   * when something in them changes. Any other object (a record, a Jackson tree) is returned as
   * it is when its JSON form holds no password, else as that JSON form's plain values, masked.
   */
  public static Object maskValue(Object value) {
    if (value == null || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof String text) {
      return mask(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      boolean changed = false;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object k = maskValue(e.getKey());
        Object v = maskValue(e.getValue());
        changed |= k != e.getKey() || v != e.getValue();
        out.put(k, v);
      }
      return changed ? out : value;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      boolean changed = false;
      for (Object e : list) {
        Object v = maskValue(e);
        changed |= v != e;
        out.add(v);
      }
      return changed ? out : value;
    }
    Object plain;
    try {
      plain = JSON.convertValue(value, Object.class);
    } catch (IllegalArgumentException notJson) {
      return value; // the store refuses it with its own message
    }
    Object masked = maskValue(plain);
    return masked == plain ? value : masked;
  }

  /**
   * The path (as {@code a.b[2]}, under {@code path}) of the first text in {@code node} that holds
   * a URL with a password, for a config to refuse it by its key.
   */
  public static Optional<String> firstIn(JsonNode node, String path) {
    if (node == null) {
      return Optional.empty();
    }
    if (node.isTextual()) {
      return in(node.textValue()) ? Optional.of(path) : Optional.empty();
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Optional<String> found = firstIn(e.getValue(), path + "." + e.getKey());
        if (found.isPresent()) {
          return found;
        }
      }
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> found = firstIn(node.get(i), path + "[" + i + "]");
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
