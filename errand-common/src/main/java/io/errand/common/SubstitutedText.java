package io.errand.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A text value of a config file whose {@code ${NAME}} references were filled in from the
 * environment, remembering which variables it read. It is text like any other; what it adds is
 * where the text came from, so that a value the server keeps secret (a token, a header, a
 * password in a URL) can name the environment variables that hold that secret, and those can be
 * kept from the programs tasks run.
 */
public final class SubstitutedText extends TextNode {
  private static final long serialVersionUID = 1L;
  private final Set<String> variables;

  /** The text {@code value}, which read the environment variables {@code variables}. */
  public SubstitutedText(String value, Set<String> variables) {
    super(value);
    this.variables = Collections.unmodifiableSet(new LinkedHashSet<>(variables));
  }

  /** The environment variables this text read, in the order it referenced them. */
  public Set<String> variables() {
    return variables;
  }

  /**
   * The environment variables read by {@code node}'s texts, its own and those of every map and
   * list inside it; empty for null or a value written out in the file.
   */
  public static Set<String> variablesIn(JsonNode node) {
    Set<String> out = new LinkedHashSet<>();
    collect(node, out);
    return out;
  }

  private static void collect(JsonNode node, Set<String> out) {
    if (node == null) {
      return;
    }
    if (node instanceof SubstitutedText t) {
      out.addAll(t.variables);
      return;
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      collect(it.next(), out);
    }
  }

  // TextNode's equals and hashCode compare the text only, which is what a value is.
}
