package io.errand.server.git.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.http.Fixture;
import io.errand.http.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The paths of {@code /api/openapi.json} marked {@code "x-errand-plugin": "git-sync"} are
 * exactly the routes git-sync's plugin adds, and every status they list is what a real call
 * answers (errand-http's {@code OpenApiTest} holds the rest of the document to the API's own
 * routes).
 */
class SyncOpenApiTest {
  private static final Set<String> METHODS =
      Set.of("get", "head", "post", "put", "patch", "delete", "options");

  private record Call(String op, String path, String body, int expected) {}

  private static Fixture fixture() throws Exception {
    JsonNode args = Http.MAPPER.readTree("{\"name\": \"ada\"}");
    return new Fixture(null, b -> b.routes(SyncRoutes.of(
        Map.of("ada", new SyncUser("ada", "other", args)))));
  }

  @Test
  void theMarkedPathsAreExactlyThePluginsRoutes() throws Exception {
    List<String> plain;
    try (Fixture f = new Fixture()) {
      plain = f.server.routes();
    }
    try (Fixture f = fixture()) {
      List<String> added = new ArrayList<>(f.server.routes());
      added.removeAll(plain);
      assertThat(documented(f.http.get("/api/openapi.json").json()).keySet())
          .containsExactlyInAnyOrderElementsOf(new TreeSet<>(added));
    }
  }

  @Test
  void everyDocumentedStatusIsWhatARealCallAnswers() throws Exception {
    try (Fixture f = fixture()) {
      List<Call> calls = List.of(
          new Call("GET /api/users", "/api/users", null, 200),
          new Call("POST /api/users/{name}/sync", "/api/users/ada/sync", "{}", 201),
          new Call("POST /api/users/{name}/sync", "/api/users/ada/sync", "{\"x\": 1}", 400),
          new Call("POST /api/users/{name}/sync", "/api/users/nobody/sync", "{}", 404),
          new Call("POST /api/users/sync", "/api/users/sync", "{\"users\": [\"ada\"]}", 201),
          new Call("POST /api/users/sync", "/api/users/sync", "{\"users\": []}", 400),
          new Call("POST /api/users/sync", "/api/users/sync", "{\"users\": [\"nobody\"]}",
              404));
      Map<String, Set<Integer>> seen = new TreeMap<>();
      for (Call c : calls) {
        Http.Response r = c.body() == null ? f.http.get(c.path())
            : f.http.post(c.path(), c.body());
        assertThat(r.status()).as("%s at %s (body %s): %s", c.op(), c.path(), c.body(), r)
            .isEqualTo(c.expected());
        seen.computeIfAbsent(c.op(), k -> new TreeSet<>()).add(r.status());
      }
      assertThat(seen).as("documented statuses per operation")
          .isEqualTo(documented(f.http.get("/api/openapi.json").json()));
    }
  }

  /** "METHOD /path" of the operations marked as git-sync's, with their numeric statuses. */
  private static Map<String, Set<Integer>> documented(JsonNode doc) {
    Map<String, Set<Integer>> all = new TreeMap<>();
    doc.get("paths").fields().forEachRemaining(path -> {
      if (!"git-sync".equals(path.getValue().path("x-errand-plugin").asText(null))) {
        return;
      }
      path.getValue().fields().forEachRemaining(op -> {
        if (METHODS.contains(op.getKey())) {
          Set<Integer> statuses = new TreeSet<>();
          op.getValue().get("responses").fieldNames().forEachRemaining(code -> {
            if (code.matches("\\d{3}")) {
              statuses.add(Integer.parseInt(code));
            }
          });
          all.put(op.getKey().toUpperCase() + " " + path.getKey(), statuses);
        }
      });
    });
    return all;
  }
}
