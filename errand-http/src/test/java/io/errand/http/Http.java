package io.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;

/** A small JSON client of the API for tests: every call returns status, headers and body. */
public final class Http {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  public Http(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  /** What came back. {@code json} is null unless the body is JSON. */
  public record Response(int status, java.net.http.HttpHeaders headers, String body,
      JsonNode json) {
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    public String errorCode() {
      return json == null ? null : json.path("error").path("code").asText(null);
    }

    public String errorMessage() {
      return json == null ? null : json.path("error").path("message").asText(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Response post(String path, String json) {
    return send("POST", path, json, "application/json");
  }

  public Response put(String path, String json) {
    return send("PUT", path, json, "application/json");
  }

  public Response send(String method, String path, String body, String contentType) {
    HttpRequest.Builder b = request(path);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    BodyPublisher p = body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body);
    return send(b.method(method, p).build());
  }

  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  public Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = client.send(request, BodyHandlers.ofString());
      JsonNode json = null;
      if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
        json = MAPPER.readTree(r.body());
      }
      return new Response(r.statusCode(), r.headers(), r.body(), json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpClient client() {
    return client;
  }

  public String base() {
    return base;
  }
}
