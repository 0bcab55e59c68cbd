package io.errand.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The server's HTTP API as the commands use it: JSON in and out, the bearer token, and every
 * failure turned into a {@link CliException} with a one-line message and its exit code.
 */
public final class ApiClient implements AutoCloseable {
  /** The mapper for request and answer bodies. */
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final URI server;
  private final String token;

  ApiClient(URI server, String token) {
    this.server = server;
    this.token = token;
    // HTTP/1.1: the default would try an h2c upgrade on every plain-http request first.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT).build();
  }

  URI server() {
    return server;
  }

  /** GET {@code path} (starting with {@code /api}), answered with JSON. */
  public JsonNode get(String path) {
    return send(request(path).GET());
  }

  /** POST {@code body} (null for none) to {@code path}. */
  public JsonNode post(String path, JsonNode body) {
    HttpRequest.Builder b = request(path);
    if (body == null) {
      return send(b.POST(BodyPublishers.noBody()));
    }
    return send(b.header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
  }

  /**
   * POST {@code body} to {@code path} for a call the server answers only after {@code serverWait}
   * (a drain): the answer is awaited that much longer than any other.
   */
  JsonNode postWaiting(String path, JsonNode body, Duration serverWait) {
    return send(request(path).timeout(ANSWER_TIMEOUT.plus(serverWait))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
  }

  /**
   * Opens the event stream at {@code path} ({@code /api/events?...}), resuming after
   * {@code lastEventId} when it is not null, and returns its body once the server answered;
   * the caller reads and closes it. Only the answer is timed; the stream itself may be quiet
   * for as long as nothing happens (the server sends a heartbeat every 15 s).
   */
  InputStream stream(String path, String lastEventId) {
    HttpRequest.Builder b = request(path).header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> r;
    try {
      r = http.send(b.build(), BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.interrupted();
    }
    if (r.statusCode() / 100 == 2) {
      return r.body();
    }
    String raw;
    try (InputStream in = r.body()) {
      raw = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    } catch (IOException e) {
      raw = "";
    }
    throw refused(r.statusCode(), parse(raw), raw);
  }

  /** {@code s} fit for one path segment: a name with spaces or slashes stays one segment. */
  public static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code ?a=1&b=2} of the entries whose value is not null, or "" when there are none. */
  static String query(Map<String, ?> params) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    params.forEach((k, v) -> {
      if (v != null) {
        q.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
      }
    });
    return q.toString();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path))
        .timeout(ANSWER_TIMEOUT).header("Accept", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> r;
    try {
      r = http.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.interrupted();
    }
    JsonNode body = parse(r.body());
    if (r.statusCode() / 100 == 2) {
      return body == null ? NullNode.instance : body;
    }
    throw refused(r.statusCode(), body, r.body());
  }

  private CliException unreachable(IOException e) {
    if (e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException)) {
      return new CliException(Exit.UNREACHABLE, "the server at " + server + " did not answer"
          + " within " + ANSWER_TIMEOUT.toSeconds() + "s; it may be overloaded, try again");
    }
    return new CliException(Exit.UNREACHABLE, "cannot reach the server at " + server + ": "
        + reason(e) + "; is 'errand serve' running? set --server or ERRAND_SERVER");
  }

  /** What went wrong in a person's words; Java's exceptions here often have no message. */
  static String reason(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "the connection timed out";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "unknown host";
      }
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : oneLine(m);
  }

  /**
   * The API's error as it came ({@code {"error": {"message": ...}}}), with the exit code its
   * status stands for; a body that is not the API's (a proxy's page) is named by its status.
   */
  private static CliException refused(int status, JsonNode body, String raw) {
    JsonNode m = body == null ? null : body.path("error").path("message");
    String message = m != null && m.isTextual() && !m.textValue().isBlank() ? m.textValue()
        : "the server answered HTTP " + status
            + (raw == null || raw.isBlank() ? "" : ": " + Format.shorten(oneLine(raw), 200));
    return switch (status) {
      case 401, 403 -> new CliException(Exit.UNAUTHORIZED, message
          + "; give the token with --token or ERRAND_TOKEN");
      case 404 -> new CliException(Exit.NOT_FOUND, message);
      case 400, 405, 413, 414, 415, 422 -> new CliException(Exit.USAGE, message);
      default -> new CliException(Exit.FAILED, message);
    };
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  @Override
  public void close() {
    http.close();
  }
}
