package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.TaskStatus;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/openapi.json} is true: it names exactly the routes the server registers (method
 * and path; the paths a plugin adds are held to it by that plugin's tests), and every status it lists for an operation is what a real call answers in a
 * representative case, one call at least per listed status, and no call answers a status the
 * document does not list for its operation.
 */
class OpenApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The mark of a path that a plugin of the errand program serves, naming the plugin. */
  static final String PLUGIN = "x-errand-plugin";
  private static final Set<String> METHODS =
      Set.of("get", "head", "post", "put", "patch", "delete", "options");

  /** One representative call: {@code op} is "METHOD /documented/{path}". */
  private record Call(String op, String path, String body, int expected) {}

  @Test
  void theDocumentIsOpenApi3AndEveryReferenceResolves() {
    try (Fixture f = fixture()) {
      Http.Response r = f.http.get("/api/openapi.json");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t)
          .startsWith("application/json"));
      JsonNode doc = r.json();
      assertThat(doc.get("openapi").asText()).startsWith("3.");
      List<String> refs = new ArrayList<>();
      collectRefs(doc, refs);
      assertThat(refs).isNotEmpty();
      for (String ref : refs) {
        assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
      }
    }
  }

  @Test
  void theDocumentIsValidOpenApiAsAClientGeneratorReadsIt() {
    try (Fixture f = fixture()) {
      ParseOptions options = new ParseOptions();
      options.setResolve(true);
      SwaggerParseResult parsed = new OpenAPIV3Parser()
          .readContents(f.http.get("/api/openapi.json").body(), null, options);
      assertThat(parsed.getMessages()).as("the parser's complaints").isEmpty();
      assertThat(parsed.getOpenAPI().getPaths()).containsKey("/api/tasks/{id}");
    }
  }

  @Test
  void theDocumentNamesExactlyTheRoutesTheServerRegisters() {
    try (Fixture f = fixture()) {
      assertThat(documentedOperations(document(f)))
          .containsExactlyInAnyOrderElementsOf(new TreeSet<>(f.server.routes()));
    }
  }

  @Test
  void everyDocumentedStatusIsWhatARealCallAnswers() {
    try (Fixture f = fixture()) {
      JsonNode doc = document(f);
      List<Call> calls = calls(f);
      Map<String, Set<Integer>> seen = new TreeMap<>();
      for (Call c : calls) {
        int status = send(f, c);
        assertThat(status).as("%s at %s (body %s)", c.op(), c.path(), c.body())
            .isEqualTo(c.expected());
        seen.computeIfAbsent(c.op(), k -> new TreeSet<>()).add(status);
      }
      f.errand.stopAccepting(); // what a draining server answers
      for (Call c : List.of(new Call("GET /readyz", "/readyz", null, 503),
          new Call("GET /api/health", "/api/health", null, 503),
          new Call("POST /api/queues/{queue}/tasks", "/api/queues/other/tasks",
              "{\"args\": 1}", 503))) {
        assertThat(send(f, c)).as(c.op()).isEqualTo(c.expected());
        seen.computeIfAbsent(c.op(), k -> new TreeSet<>()).add(c.expected());
      }
      Map<String, Set<Integer>> documented = documentedStatuses(doc);
      assertThat(seen).containsOnlyKeys(documented.keySet());
      assertThat(seen).as("documented statuses per operation").isEqualTo(documented);
    }
  }

  /**
   * One call per documented status of every operation, over a queue {@code work} with a task
   * held running, a finished task, a live and a finished task of one key, a full queue, a
   * supervised key.
   */
  private static List<Call> calls(Fixture f) {
    long done = f.submit("other", "{\"n\": 1}");
    f.awaitFinished(done);
    long gone = f.submit("other", "{\"n\": 2}");
    f.awaitFinished(gone);
    long running = f.submit("work", "{\"gate\": \"spec\"}");
    f.awaitStatus(running, TaskStatus.RUNNING);
    long keyedDone = submitted(f.http.post("/api/queues/work/tasks",
        "{\"args\": {\"n\": 3}, \"key\": \"k-spec\"}"));
    f.awaitFinished(keyedDone);
    long keyedLive = submitted(f.http.post("/api/queues/work/tasks",
        "{\"args\": {\"gate\": \"spec\"}, \"key\": \"k-spec\"}"));
    f.awaitStatus(keyedLive, TaskStatus.RUNNING);
    submitted(f.http.post("/api/queues/tiny/tasks", "{\"args\": 1, \"delay\": \"1h\"}"));
    long group = f.http.post("/api/queues/other/batches", "{\"tasks\": [1, 2]}")
        .json().get("group").asLong();
    f.errand.supervisor("accounts").put("gone", Map.of("account", "gone"));

    String t = "/api/tasks/";
    String key = "/api/supervisors/accounts/keys/";
    String keyOp = "/api/supervisors/{name}/keys/{key}";
    List<Call> c = new ArrayList<>();
    c.add(new Call("GET /livez", "/livez", null, 200));
    c.add(new Call("GET /readyz", "/readyz", null, 200));
    c.add(new Call("GET /metrics", "/metrics", null, 200));
    for (String page : List.of("/", "/dashboard")) {
      c.add(new Call("GET " + page, page, null, 200));
      c.add(new Call("HEAD " + page, page, null, 200));
    }
    for (String m : List.of("GET", "HEAD")) {
      c.add(new Call(m + " /dashboard/{file}", "/dashboard/app.js", null, 200));
      c.add(new Call(m + " /dashboard/{file}", "/dashboard/nope.js", null, 404));
    }
    c.add(new Call("GET /api/openapi.json", "/api/openapi.json", null, 200));
    c.add(new Call("GET /api/health", "/api/health", null, 200));
    c.add(new Call("GET /api/queues", "/api/queues", null, 200));
    c.add(new Call("GET /api/queues/{queue}", "/api/queues/work", null, 200));
    c.add(new Call("GET /api/queues/{queue}", "/api/queues/nope", null, 404));
    String submit = "POST /api/queues/{queue}/tasks";
    c.add(new Call(submit, "/api/queues/other/tasks", "{\"args\": {}}", 201));
    c.add(new Call(submit, "/api/queues/work/tasks",
        "{\"args\": {}, \"key\": \"k-spec\"}", 200));
    c.add(new Call(submit, "/api/queues/other/tasks", "{\"arg\": {}}", 400));
    c.add(new Call(submit, "/api/queues/nope/tasks", "{\"args\": {}}", 404));
    c.add(new Call(submit, "/api/queues/tiny/tasks", "{\"args\": 2}", 429));
    String batches = "POST /api/queues/{queue}/batches";
    c.add(new Call(batches, "/api/queues/other/batches", "{\"tasks\": [1]}", 201));
    c.add(new Call(batches, "/api/queues/other/batches", "{\"tasks\": []}", 400));
    c.add(new Call(batches, "/api/queues/nope/batches", "{\"tasks\": [1]}", 404));
    c.add(new Call("GET /api/tasks", "/api/tasks?queue=other&limit=5", null, 200));
    c.add(new Call("GET /api/tasks", "/api/tasks?limit=0", null, 400));
    c.add(new Call("GET /api/tasks/{id}", t + done, null, 200));
    c.add(new Call("GET /api/tasks/{id}", t + "01", null, 400));
    c.add(new Call("GET /api/tasks/{id}", t + "999999999", null, 404));
    c.add(new Call("POST /api/tasks/{id}/progress", t + running + "/progress",
        "{\"current\": 1, \"total\": 2}", 204));
    c.add(new Call("POST /api/tasks/{id}/progress", t + running + "/progress",
        "{\"current\": -1}", 400));
    c.add(new Call("POST /api/tasks/{id}/progress", t + "999999999/progress",
        "{\"current\": 1}", 404));
    c.add(new Call("POST /api/tasks/{id}/progress", t + done + "/progress",
        "{\"current\": 1}", 409));
    c.add(new Call("POST /api/tasks/{id}/retry", t + done + "/retry", null, 201));
    c.add(new Call("POST /api/tasks/{id}/retry", t + keyedDone + "/retry", null, 200));
    c.add(new Call("POST /api/tasks/{id}/retry", t + "x/retry", null, 400));
    c.add(new Call("POST /api/tasks/{id}/retry", t + "999999999/retry", null, 404));
    c.add(new Call("POST /api/tasks/{id}/retry", t + running + "/retry", null, 409));
    c.add(new Call("POST /api/tasks/{id}/cancel", t + running + "/cancel",
        "{\"reason\": \"spec\"}", 200));
    c.add(new Call("POST /api/tasks/{id}/cancel", t + "0/cancel", null, 400));
    c.add(new Call("POST /api/tasks/{id}/cancel", t + "999999999/cancel", null, 404));
    c.add(new Call("DELETE /api/tasks/{id}", t + gone, null, 204));
    c.add(new Call("DELETE /api/tasks/{id}", t + "-1", null, 400));
    c.add(new Call("DELETE /api/tasks/{id}", t + gone, null, 404));
    c.add(new Call("GET /api/search", "/api/search?queue=other&q=2&limit=5", null, 200));
    c.add(new Call("GET /api/search", "/api/search?from=yesterday", null, 400));
    c.add(new Call("GET /api/search", "/api/search?queue=nope", null, 404));
    c.add(new Call("GET /api/search/count", "/api/search/count?status=SUCCESS", null, 200));
    c.add(new Call("GET /api/search/count", "/api/search/count?limit=5", null, 400));
    c.add(new Call("GET /api/search/count", "/api/search/count?queue=nope", null, 404));
    c.add(new Call("GET /api/failures", "/api/failures?queue=other", null, 200));
    c.add(new Call("GET /api/failures", "/api/failures?status=FAILURE", null, 400));
    c.add(new Call("GET /api/failures", "/api/failures?queue=nope", null, 404));
    c.add(new Call("GET /api/history", "/api/history?range=day&queue=other", null, 200));
    c.add(new Call("GET /api/history", "/api/history?range=week", null, 400));
    c.add(new Call("GET /api/history", "/api/history?queue=nope", null, 404));
    c.add(new Call("POST /api/bulk", "/api/bulk", "{\"action\": \"cancel\", \"ids\": [" + done
        + "]}", 200));
    c.add(new Call("POST /api/bulk", "/api/bulk", "{\"action\": \"cancel\"}", 400));
    c.add(new Call("POST /api/bulk", "/api/bulk", "{\"action\": \"retry\", \"filter\": "
        + "{\"queue\": \"nope\"}, \"expected\": 1}", 404));
    c.add(new Call("POST /api/bulk", "/api/bulk", "{\"action\": \"retry\", \"filter\": "
        + "{\"queue\": \"other\"}, \"expected\": 0}", 409));
    c.add(new Call("GET /api/batches/{group}", "/api/batches/" + group, null, 200));
    c.add(new Call("GET /api/nodes", "/api/nodes", null, 200));
    c.add(new Call("GET /api/batches/{group}", "/api/batches/+1", null, 400));
    c.add(new Call("GET /api/batches/{group}", "/api/batches/999999999", null, 404));
    c.add(new Call("GET /api/supervisors", "/api/supervisors", null, 200));
    c.add(new Call("GET /api/supervisors/{name}/keys", "/api/supervisors/accounts/keys", null,
        200));
    c.add(new Call("GET /api/supervisors/{name}/keys", "/api/supervisors/nope/keys", null,
        404));
    c.add(new Call("PUT " + keyOp, key + "spec", "{\"args\": {\"account\": \"spec\"}}", 200));
    c.add(new Call("PUT " + keyOp, key + "spec", "{\"arg\": {}}", 400));
    c.add(new Call("PUT " + keyOp, "/api/supervisors/nope/keys/spec", "{\"args\": 1}", 404));
    c.add(new Call("GET " + keyOp, key + "spec", null, 200));
    c.add(new Call("GET " + keyOp, key + "nope", null, 404));
    c.add(new Call("POST " + keyOp + "/pause", key + "spec/pause", null, 200));
    c.add(new Call("POST " + keyOp + "/pause", key + "nope/pause", null, 404));
    c.add(new Call("POST " + keyOp + "/resume", key + "spec/resume", null, 200));
    c.add(new Call("POST " + keyOp + "/resume", key + "nope/resume", null, 404));
    c.add(new Call("POST " + keyOp + "/restart", key + "spec/restart", null, 200));
    c.add(new Call("POST " + keyOp + "/restart", key + "nope/restart", null, 404));
    c.add(new Call("DELETE " + keyOp, key + "gone", null, 204));
    c.add(new Call("DELETE " + keyOp, key + "gone", null, 404));
    c.add(new Call("GET /api/events", "/api/events?queue=other", null, 200));
    c.add(new Call("GET /api/events", "/api/events?queue=", null, 400));
    String s = "/api/schedules/";
    String sOp = "/api/schedules/{name}";
    String nightly = "{\"queue\": \"other\", \"spec\": \"0 2 * * *\", \"args\": {\"n\": 5}}";
    c.add(new Call("PUT " + sOp, s + "nightly", nightly, 201));
    c.add(new Call("PUT " + sOp, s + "nightly", nightly, 200));
    c.add(new Call("PUT " + sOp, s + "nightly", "{\"queue\": \"other\", \"spec\": \"0 61 * * *\"}",
        400));
    c.add(new Call("GET /api/schedules", "/api/schedules", null, 200));
    c.add(new Call("GET " + sOp, s + "nightly", null, 200));
    c.add(new Call("GET " + sOp, s + "nope", null, 404));
    for (String verb : List.of("pause", "resume")) {
      c.add(new Call("POST " + sOp + "/" + verb, s + "nightly/" + verb, null, 200));
      c.add(new Call("POST " + sOp + "/" + verb, s + "nope/" + verb, null, 404));
    }
    c.add(new Call("POST " + sOp + "/run-now", s + "nightly/run-now", null, 202));
    c.add(new Call("POST " + sOp + "/run-now", s + "nope/run-now", null, 404));
    c.add(new Call("GET " + sOp + "/next", s + "nightly/next?n=2", null, 200));
    c.add(new Call("GET " + sOp + "/next", s + "nightly/next?n=0", null, 400));
    c.add(new Call("GET " + sOp + "/next", s + "nope/next", null, 404));
    c.add(new Call("DELETE " + sOp, s + "nightly", null, 204));
    c.add(new Call("DELETE " + sOp, s + "nightly", null, 404));
    String qOp = "POST /api/queues/{queue}/";
    for (String verb : List.of("pause", "resume")) {
      c.add(new Call(qOp + verb, "/api/queues/tiny/" + verb, null, 200));
      c.add(new Call(qOp + verb, "/api/queues/nope/" + verb, null, 404));
    }
    c.add(new Call(qOp + "drain", "/api/queues/tiny/drain", "{\"timeout\": \"0s\"}", 200));
    c.add(new Call(qOp + "drain", "/api/queues/tiny/drain", "{\"timeout\": \"11m\"}", 400));
    c.add(new Call(qOp + "drain", "/api/queues/nope/drain", null, 404));
    return c;
  }

  private static Fixture fixture() {
    return new Fixture();
  }

  private static long submitted(Http.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  /** Sends the call and returns the status; an event stream is closed once its status came. */
  private static int send(Fixture f, Call c) {
    String method = c.op().substring(0, c.op().indexOf(' '));
    HttpRequest.Builder b = f.http.request(c.path());
    if (c.body() != null) {
      b.header("Content-Type", "application/json");
    }
    HttpRequest request = b.method(method, c.body() == null ? BodyPublishers.noBody()
        : BodyPublishers.ofString(c.body())).build();
    try {
      HttpResponse<InputStream> r = f.http.client().send(request, BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        if (!c.path().startsWith("/api/events")) {
          in.readAllBytes();
        }
      }
      return r.statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode document(Fixture f) {
    Http.Response r = f.http.get("/api/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  private static Set<String> documentedOperations(JsonNode doc) {
    return documentedStatuses(doc).keySet();
  }

  /**
   * "METHOD /path" of every documented operation of this module, with its numeric statuses: not
   * the paths a plugin of the errand program adds (marked {@value #PLUGIN}, such as git-sync's
   * {@code /api/users}), which that plugin's tests hold to the document.
   */
  private static Map<String, Set<Integer>> documentedStatuses(JsonNode doc) {
    Map<String, Set<Integer>> all = new TreeMap<>();
    doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields()
        .forEachRemaining(op -> {
          if (!METHODS.contains(op.getKey()) || path.getValue().has(PLUGIN)) {
            return;
          }
          Set<Integer> statuses = new TreeSet<>();
          Iterator<String> codes = op.getValue().get("responses").fieldNames();
          codes.forEachRemaining(code -> {
            if (code.matches("\\d{3}")) {
              statuses.add(Integer.parseInt(code));
            }
          });
          all.put(op.getKey().toUpperCase() + " " + path.getKey(), statuses);
        }));
    return all;
  }

  private static final Pattern REF = Pattern.compile("^#/.+");

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual()) {
        Matcher m = REF.matcher(ref.asText());
        assertThat(m.matches()).as("a local reference: %s", ref).isTrue();
        refs.add(ref.asText());
      }
      node.forEach(child -> collectRefs(child, refs));
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }
}
