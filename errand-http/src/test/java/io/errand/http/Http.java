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
final class Http {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  Http(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  /** What came back. {@code json} is null unless the body is JSON. */
  record Response(int status, java.net.http.HttpHeaders headers, String body, JsonNode json) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    String errorCode() {
      return json == null ? null : json.path("error").path("code").asText(null);
    }

    String errorMessage() {
      return json == null ? null : json.path("error").path("message").asText(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  Response get(String path) {
    return send("GET", path, null, null);
  }

  Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  Response post(String path, String json) {
    return send("POST", path, json, "application/json");
  }

  Response put(String path, String json) {
    return send("PUT", path, json, "application/json");
  }

  Response send(String method, String path, String body, String contentType) {
    HttpRequest.Builder b = request(path);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    BodyPublisher p = body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body);
    return send(b.method(method, p).build());
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  Response send(HttpRequest request) {
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

  HttpClient client() {
    return client;
  }

  String base() {
    return base;
  }
}
