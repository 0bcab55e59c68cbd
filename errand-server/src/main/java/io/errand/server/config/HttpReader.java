package io.errand.server.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.common.BindAddress;
import io.errand.common.Secret;
import io.errand.server.config.ServerConfig.Http;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code server} block: where the HTTP API listens and the token that guards it.
 * Refuses to listen beyond this machine without a token ({@link BindAddress}, the rule the API
 * server checks too), pointing at the config's line. Without a config
 * file, the same settings come from {@code ERRAND_BIND}, {@code ERRAND_PORT} and
 * {@code ERRAND_TOKEN}.
 */
final class HttpReader {
  static final List<String> KEYS = List.of("bind", "port", "token", "max_body");
  static final String BIND = "127.0.0.1";
  static final int PORT = 8080;
  static final long MAX_BODY = 1_048_576;
  static final String BIND_VAR = "ERRAND_BIND";
  static final String PORT_VAR = "ERRAND_PORT";
  static final String TOKEN_VAR = "ERRAND_TOKEN";

  private HttpReader() {}

  /** The listener described by {@code s} ({@code server}), defaults for keys left out. */
  static Http read(ConfigNode s) {
    s.allowOnly(KEYS);
    return read(s.get("bind"), s.get("port"), s.get("token"), s.get("max_body"),
        "server.bind");
  }

  /**
   * The listener without a config file: the defaults, except what {@code ERRAND_BIND},
   * {@code ERRAND_PORT} and {@code ERRAND_TOKEN} in {@code env} say (empty counts as unset).
   * A bad value is refused naming the variable, from the file {@code environment}.
   */
  static Http fromEnvironment(Map<String, String> env) {
    ObjectNode vars = JsonNodeFactory.instance.objectNode();
    for (String name : List.of(BIND_VAR, PORT_VAR, TOKEN_VAR)) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        vars.put(name, v.strip());
      }
    }
    ConfigNode e = new ConfigNode(Path.of("environment"), "", vars);
    return read(e.get(BIND_VAR), e.get(PORT_VAR), e.get(TOKEN_VAR), e.get("max_body"), BIND_VAR);
  }

  private static Http read(ConfigNode bindNode, ConfigNode portNode, ConfigNode tokenNode,
      ConfigNode maxBodyNode, String bindName) {
    String bind = bindNode.text().map(String::strip).orElse(BIND);
    int port = portNode.integer(0, 65_535).orElse(PORT);
    Secret token = token(tokenNode);
    long maxBody = maxBodyNode.bytes().orElse(MAX_BODY);
    Optional<String> problem;
    try {
      problem = BindAddress.tokenProblem(bindName, bind, token != null);
    } catch (IllegalArgumentException e) {
      throw bindNode.error(e.getMessage());
    }
    if (problem.isPresent()) {
      throw tokenNode.error(problem.get());
    }
    return new Http(bind, port, token, maxBody);
  }

  /**
   * The token, or null when unset or empty ({@code token: ${ERRAND_TOKEN:-}} leaves it out).
   * Errors never show the value.
   */
  private static Secret token(ConfigNode t) {
    if (!t.isSet()) {
      return null;
    }
    if (!t.raw().isValueNode() || t.raw().isBinary()) {
      throw t.error("must be text (the bearer token), was " + (t.raw().isArray() ? "a list"
          : "a map"));
    }
    String v = t.raw().asText().strip();
    if (v.isEmpty()) {
      return null;
    }
    if (v.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw t.error("must not contain spaces or control characters, since it is sent in an"
          + " Authorization header");
    }
    return Secret.of(v);
  }
}
