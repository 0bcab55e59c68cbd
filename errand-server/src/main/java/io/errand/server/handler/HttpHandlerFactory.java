package io.errand.server.handler;

import io.errand.api.TaskHandler;
import io.errand.common.Secret;
import io.errand.common.SettingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The built-in {@code http} handler: sends each task's args as JSON to a configured URL.
 * Options:
 *
 * <ul>
 *   <li>{@code url} (required): an http or https URL; credentials in it
 *       ({@code https://user:pass@host/}) are sent as Basic authorization and never shown.
 *   <li>{@code timeout}: how long one attempt may take, body included (default 30s).
 *   <li>{@code headers}: more request headers; their values are treated as secrets.
 *   <li>{@code method}: POST (default), PUT or PATCH.
 * </ul>
 *
 * <p>A 2xx answer is the result; 5xx, 429, 408, connection errors and time-outs fail the attempt
 * so that it is retried; any other status fails the task. {@code docs/handlers.md} has the
 * details.
 */
public final class HttpHandlerFactory implements HandlerFactory {
  /** The default time-out of one attempt. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");
  /** Headers the handler sets itself, per task. */
  private static final Set<String> OWN_HEADERS = Set.of("content-type", "x-errand-task-id",
      "x-errand-attempt", "idempotency-key");
  /** Headers the JDK client manages and refuses to take. */
  private static final Set<String> CLIENT_HEADERS = Set.of("connection", "content-length",
      "expect", "host", "upgrade");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** A factory; the server finds it through {@link java.util.ServiceLoader}. */
  public HttpHandlerFactory() {}

  @Override
  public String name() {
    return "http";
  }

  /**
   * An http handler for {@code settings}, with a client of its own.
   *
   * @throws SettingException if {@code url} is missing or not an http(s) URL, a header cannot be
   *     sent, or another option is wrong or unknown; no message shows a credential
   */
  @Override
  public TaskHandler<Object, Object> create(HandlerSettings settings) {
    settings.allowOnly("url", "timeout", "headers", "method");
    HttpTarget target = HttpTarget.parse(settings.requireString("url"), settings.pathOf("url"));
    Duration timeout = settings.duration("timeout", DEFAULT_TIMEOUT);
    if (timeout.isZero()) {
      throw new SettingException(settings.pathOf("timeout"), "must be positive, was 0");
    }
    String method = settings.string("method").orElse("POST").trim().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new SettingException(settings.pathOf("method"), "must be POST, PUT or PATCH, was '"
          + settings.string("method").orElse("") + "'");
    }
    Map<String, Secret> headers = headers(settings, target);
    // The variables behind the credentials are the server's secrets: no exec program gets them.
    settings.markSecret("headers");
    if (target.authorization() != null || !target.secrets().isEmpty()) {
      settings.markSecret("url");
    }
    HttpClient client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        // A redirect would resend the args elsewhere, or drop them (303): the answer is final.
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    return new HttpHandler(client, target, method, headers, timeout);
  }

  private static Map<String, Secret> headers(HandlerSettings settings, HttpTarget target) {
    Map<String, Secret> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : MapOption.read(settings, "headers").entrySet()) {
      String name = e.getKey();
      String path = settings.pathOf("headers") + "." + name;
      String lower = name.toLowerCase(Locale.ROOT);
      if (!TOKEN.matcher(name).matches()) {
        throw new SettingException(path, "is not a valid header name");
      }
      if (OWN_HEADERS.contains(lower)) {
        throw new SettingException(path, "is set by the handler itself and cannot be"
            + " configured");
      }
      if (CLIENT_HEADERS.contains(lower)) {
        throw new SettingException(path, "is managed by the HTTP client and cannot be"
            + " configured");
      }
      if (lower.equals("authorization") && target.authorization() != null) {
        throw new SettingException(path, "conflicts with the credentials in url; keep one of"
            + " them");
      }
      String value = e.getValue();
      if (value.isBlank()) {
        throw new SettingException(path, "must not be empty");
      }
      try {
        // Lets the JDK check the value (no line breaks and such) now rather than per task.
        HttpRequest.newBuilder(URI.create("http://localhost/")).header(name, value);
      } catch (IllegalArgumentException ex) {
        // Its message would quote the value, which may be a secret.
        throw new SettingException(path, "has a value that cannot be sent (a line break or"
            + " another control character?)");
      }
      out.put(name, Secret.of(value));
    }
    return out;
  }
}
