package io.errand.server.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client of a server's API, for tests. */
final class Api {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI base;
  private final String token;

  Api(URI base) {
    this(base, null);
  }

  /** A client that sends {@code token} as its bearer token. */
  Api(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** An answer: its status and its body read as JSON (null when empty). */
  record Answer(int status, JsonNode body) {
    long id() {
      return body.get("id").asLong();
    }

    String text(String field) {
      return body.path(field).asText();
    }
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Answer post(String path, String json) {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Answer put(String path, String json) {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Answer delete(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  /** Submits {@code argsJson} to {@code queue}, expecting 201, and returns the id. */
  long submit(String queue, String argsJson) {
    Answer a = post("/api/queues/" + queue + "/tasks", "{\"args\": " + argsJson + "}");
    if (a.status() != 201) {
      throw new AssertionError("submit to " + queue + " answered " + a.status() + ": " + a.body());
    }
    return a.id();
  }

  /** The task's JSON. */
  JsonNode task(long id) {
    Answer a = get("/api/tasks/" + id);
    if (a.status() != 200) {
      throw new AssertionError("task " + id + " answered " + a.status() + ": " + a.body());
    }
    return a.body();
  }

  private Answer send(HttpRequest.Builder request) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
      return new Answer(r.statusCode(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
