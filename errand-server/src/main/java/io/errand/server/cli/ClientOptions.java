package io.errand.server.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options every client command takes: where the server is, its token, and {@code --json}.
 * The environment gives the defaults at run time rather than through picocli's default values,
 * so that {@code --help} never shows a token.
 */
final class ClientOptions {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

  @Option(names = "--server", paramLabel = "URL",
      description = "Server URL (default: $ERRAND_SERVER or " + DEFAULT_SERVER + ").")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "API token (default: $ERRAND_TOKEN). Never printed.")
  String token;

  @Option(names = "--json", description = "Print the server's JSON instead of text, for scripts.")
  boolean json;

  /**
   * The server's base URL, checked.
   *
   * @throws CliException (usage) when it is not an http or https URL
   */
  URI server() {
    String raw = firstSet(server, System.getenv("ERRAND_SERVER"), DEFAULT_SERVER).strip();
    String where = server != null ? "--server" : "ERRAND_SERVER";
    URI uri;
    try {
      uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
    } catch (URISyntaxException e) {
      throw CliException.usage(where + " is not a URL: '" + raw + "'; e.g. " + DEFAULT_SERVER);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw CliException.usage(where + " must be an http:// or https:// URL with a host, got '"
          + raw + "'; e.g. " + DEFAULT_SERVER);
    }
    return uri;
  }

  /** The token to send, or null for none. */
  String token() {
    String t = firstSet(token, System.getenv("ERRAND_TOKEN"), null);
    return t == null ? null : t.strip();
  }

  boolean json() {
    return json;
  }

  private static String firstSet(String option, String env, String fallback) {
    if (option != null && !option.isBlank()) {
      return option;
    }
    return env != null && !env.isBlank() ? env : fallback;
  }
}
