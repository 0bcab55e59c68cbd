package io.errand.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code errand.http.*} settings: Errand's HTTP API and dashboard ({@code errand-http}),
 * either under a path of the application's own web server ({@code path}) or on an address and
 * port of their own ({@code bind}, {@code port}); one or the other, never both.
 *
 * @param enabled whether to serve the API and dashboard (default {@code false})
 * @param path    the path of the application's own (servlet) web server to serve them under,
 *                such as {@code /errand}; unset for a port of their own
 * @param bind    the address of their own port (default {@code 127.0.0.1}); an address beyond
 *                this machine needs a {@code token}; not with {@code path}
 * @param port    their own port (default {@code 8081}); {@code 0} picks a free one; not with
 *                {@code path}
 * @param token   the bearer token every API request must carry; unset for none
 */
@ConfigurationProperties("errand.http")
public record ErrandHttpProperties(@DefaultValue("false") boolean enabled, String path,
    String bind, Integer port, String token) {
  /** The address of the own port when {@code errand.http.bind} is not set. */
  static final String DEFAULT_BIND = "127.0.0.1";
  /** The own port when {@code errand.http.port} is not set. */
  static final int DEFAULT_PORT = 8081;

  /** Whether the API is served under a path of the application's server. */
  boolean mounted() {
    return path != null;
  }

  /** The address of the own port. */
  String bindOrDefault() {
    return bind == null ? DEFAULT_BIND : bind;
  }

  /** The own port. */
  int portOrDefault() {
    return port == null ? DEFAULT_PORT : port;
  }

  /** The token, or null when it is unset or blank. */
  String tokenOrNull() {
    return token == null || token.isBlank() ? null : token;
  }
}
