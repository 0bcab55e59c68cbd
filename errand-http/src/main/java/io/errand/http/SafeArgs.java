package io.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.errand.common.Redaction;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A configured user's arguments fit to show over the API. A {@code credentials} value is a
 * reference to a secret kept elsewhere, so its name is shown and anything richer is masked; a
 * field named like a secret is masked whole; a URL ({@code scheme://...}) loses its user name,
 * password and credential-like query parameters. The config file is the operator's, but {@code GET
 * /api/users} reaches everyone with the API's token, so nothing secret may pass through. The
 * API's own views use it for stored arguments, and a plugin's routes for what they show.
 */
public final class SafeArgs {
  private static final String CREDENTIALS = "credentials";
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i)(token|secret|password|passwd|pwd|api_?key|private_?key|auth)");

  private SafeArgs() {}

  /** A masked copy of {@code args}; the original is left as it is. */
  public static JsonNode of(JsonNode args) {
    return mask(args, null);
  }

  private static JsonNode mask(JsonNode v, String field) {
    if (v == null || v.isNull()) {
      return v;
    }
    if (field != null && field.equals(CREDENTIALS)) {
      return v.isTextual() ? v : TextNode.valueOf(Redaction.MASK);
    }
    if (field != null && SECRET_NAME.matcher(field).find()) {
      return TextNode.valueOf(Redaction.MASK);
    }
    if (v.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        out.set(e.getKey(), mask(e.getValue(), e.getKey()));
      }
      return out;
    }
    if (v.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      v.forEach(e -> out.add(mask(e, null)));
      return out;
    }
    // Only URLs with a scheme: "git@host:repo" names a login, not a secret, and stays readable.
    return v.isTextual() && v.textValue().contains("://")
        ? TextNode.valueOf(Redaction.url(v.textValue())) : v;
  }
}
