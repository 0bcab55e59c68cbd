package io.errand.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.common.SubstitutedText;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in every text value of a parsed file
 * with the environment's values; <code>$${</code> stands for a literal <code>${</code>. Keys
 * are left alone: a key is part of the config's shape, not a value an operator tunes per
 * machine.
 *
 * <p>The default is used when the variable is unset or empty (as in a shell) and may itself
 * hold references. What a variable expands to is not scanned again, so a value from the
 * environment can never pull in another variable. Error messages name variables, never their
 * values, because values are often secrets.
 *
 * <p>A value that read variables becomes a {@link SubstitutedText}, which names them: the server
 * keeps the variables behind its secrets from the programs tasks run.
 */
final class EnvSubstitution {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, String> env;

  EnvSubstitution(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** A copy of {@code root}, read from {@code file}, with the references in its values replaced. */
  JsonNode apply(Path file, JsonNode root) {
    return walk(file, "", root);
  }

  private JsonNode walk(Path file, String path, JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isObject()) {
      ObjectNode out = NODES.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        out.set(e.getKey(), walk(file, p, e.getValue()));
      }
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = NODES.arrayNode();
      for (int i = 0; i < n.size(); i++) {
        out.add(walk(file, path + "[" + i + "]", n.get(i)));
      }
      return out;
    }
    if (n.isTextual() && n.asText().contains("${")) {
      Set<String> read = new LinkedHashSet<>();
      String text = substitute(file, path, n.asText(), read);
      return read.isEmpty() ? NODES.textNode(text) : new SubstitutedText(text, read);
    }
    return n;
  }

  /**
   * {@code text} with its references replaced; adds the name of every variable looked up to
   * {@code read} (a default's references only when the default was used).
   */
  private String substitute(Path file, String path, String text, Set<String> read) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int end = closingBrace(text, i + 2);
        if (end < 0) {
          throw new ConfigException(file, path, "has '${' without a closing '}'; write '$${'"
              + " for a literal '${'");
        }
        out.append(resolve(file, path, text.substring(i + 2, end), read));
        i = end + 1;
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  private String resolve(Path file, String path, String reference, Set<String> read) {
    int sep = reference.indexOf(":-");
    String name = sep < 0 ? reference : reference.substring(0, sep);
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(file, path, "'${" + reference + "}' is not a variable reference;"
          + " write ${NAME} or ${NAME:-default} with NAME made of letters, digits and '_', or"
          + " '$${' for a literal '${'");
    }
    String value = env.get(name);
    read.add(name);
    if (sep < 0) {
      if (value == null) {
        throw new ConfigException(file, path, "environment variable " + name + " is not set;"
            + " set it, or give a default: ${" + name + ":-default}");
      }
      return value;
    }
    return value == null || value.isEmpty()
        ? substitute(file, path, reference.substring(sep + 2), read) : value;
  }

  /** The index of the '}' that closes a reference whose body starts at {@code from}, or -1. */
  private static int closingBrace(String text, int from) {
    int depth = 1;
    int i = from;
    while (i < text.length()) {
      if (text.startsWith("${", i)) {
        depth++;
        i += 2;
      } else {
        if (text.charAt(i) == '}' && --depth == 0) {
          return i;
        }
        i++;
      }
    }
    return -1;
  }
}
