package io.errand.server.config;

import io.errand.server.config.ServerConfig.Http;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the {@code server} block: where the HTTP API listens and the token that guards it.
 * Refuses to listen beyond this machine without a token, because the API runs tasks: anyone who
 * can reach an open port could run commands through an {@code exec} queue.
 */
final class HttpReader {
  static final List<String> KEYS = List.of("bind", "port", "token", "max_body");
  static final String BIND = "127.0.0.1";
  static final int PORT = 8080;
  static final long MAX_BODY = 1_048_576;

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

  private HttpReader() {}

  /** The listener described by {@code s} ({@code server}), defaults for keys left out. */
  static Http read(ConfigNode s) {
    s.allowOnly(KEYS);
    ConfigNode bindNode = s.get("bind");
    String bind = bindNode.text().map(String::strip).orElse(BIND);
    boolean loopback = isLoopback(bindNode, bind);
    int port = s.get("port").integer(0, 65_535).orElse(PORT);
    Secret token = token(s.get("token"));
    long maxBody = s.get("max_body").bytes().orElse(MAX_BODY);
    if (!loopback && token == null) {
      throw s.get("token").error("is required when server.bind is '" + bind + "', which is not"
          + " a loopback address: anyone who can reach the port could run tasks; set a token"
          + " (e.g. token: ${ERRAND_TOKEN}) or bind 127.0.0.1");
    }
    return new Http(bind, port, token, maxBody);
  }

  /** The defaults: loopback, port 8080, no token. */
  static Http defaults() {
    return new Http(BIND, PORT, null, MAX_BODY);
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

  /**
   * Whether {@code bind} is this machine only: 127.0.0.0/8, ::1 or localhost. Decided without
   * a DNS lookup; a host name other than localhost counts as reachable from outside.
   */
  private static boolean isLoopback(ConfigNode node, String bind) {
    String b = bind.startsWith("[") && bind.endsWith("]")
        ? bind.substring(1, bind.length() - 1) : bind;
    if (b.isEmpty()) {
      throw node.error("must be an address such as 127.0.0.1, 0.0.0.0 or ::1, was empty");
    }
    if (b.toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    if (IPV4.matcher(b).matches()) {
      // Checked here rather than by InetAddress, which looks up a bad literal as a host name.
      String[] octets = b.split("\\.");
      for (String o : octets) {
        if (Integer.parseInt(o) > 255) {
          throw node.error("is not a valid IP address: '" + bind + "'");
        }
      }
      return octets[0].equals("127");
    }
    if (b.contains(":")) {
      try {
        // An IPv6 literal is parsed, never looked up.
        return InetAddress.getByName(b).isLoopbackAddress();
      } catch (UnknownHostException | SecurityException e) {
        throw node.error("is not a valid IP address: '" + bind + "'");
      }
    }
    if (!HOST.matcher(b).matches()) {
      throw node.error("must be an IP address or host name such as 127.0.0.1, 0.0.0.0 or ::1,"
          + " was '" + bind + "'");
    }
    return false;
  }
}
