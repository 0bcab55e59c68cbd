package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.server.config.ConfigLoader;
import io.errand.server.serve.ErrandServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real errand server for the command line's tests: the YAML given, on a free port, in the
 * test's JVM. {@link #api} reaches it directly, to set the scene and check what a command did.
 */
final class CliServer implements AutoCloseable {
  private final ErrandServer server;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  private final String token;

  private CliServer(ErrandServer server, String token) {
    this.server = server;
    this.token = token;
  }

  /** Starts a server from {@code yaml}, written as errand.yaml in {@code dir}. */
  static CliServer start(Path dir, String yaml, String token) throws IOException {
    Path config = Files.writeString(dir.resolve("errand.yaml"), yaml);
    return new CliServer(ErrandServer.start(new ConfigLoader(Map.of()).load(config)), token);
  }

  String url() {
    return server.url().toString();
  }

  ErrandServer server() {
    return server;
  }

  /** Calls the API directly: {@code method} on {@code path} with a JSON body or null. */
  JsonNode api(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": "
            + r.body());
      }
      return r.body().isEmpty() ? null : ApiClient.JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Adds a task through the API and returns its id. */
  long submit(String queue, String argsJson) {
    return api("POST", "/api/queues/" + queue + "/tasks", "{\"args\": " + argsJson + "}")
        .get("id").asLong();
  }

  JsonNode task(long id) {
    return api("GET", "/api/tasks/" + id, null);
  }

  String status(long id) {
    return task(id).get("status").asText();
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
