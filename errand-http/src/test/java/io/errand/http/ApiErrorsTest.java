package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Errors outside the routes' own checks: unknown routes, methods, sizes, media types, Jetty. */
class ApiErrorsTest {
  private static final int MAX_BODY = 4096;
  private static Fixture f;
  private static Http http;

  @BeforeAll
  static void start() {
    f = new Fixture(null, b -> b.maxBodyBytes(MAX_BODY));
    http = f.http;
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void unknownRoutesAndMethodsAnswerInTheErrorShape() {
    expectError(http.get("/nope"), 404, "not_found", "there is no route GET /nope");
    expectError(http.get("/api/nope"), 404, "not_found", "docs/api.md");
    Http.Response wrongMethod = http.delete("/api/queues");
    expectError(wrongMethod, 405, "method_not_allowed", "DELETE is not allowed on /api/queues");
    assertThat(wrongMethod.header("Allow")).contains("GET");
    expectError(http.send("PATCH", "/api/tasks/1", "{}", "application/json"), 405,
        "method_not_allowed", "PATCH");
  }

  @Test
  void bodiesOverTheLimitAre413WhetherDeclaredOrChunked() {
    String big = "{\"args\": \"" + "x".repeat(MAX_BODY) + "\"}";
    expectError(http.post("/api/queues/work/tasks", big), 413, "body_too_large",
        "larger than the limit of " + MAX_BODY + " bytes");

    InputStream stream = new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8));
    HttpRequest chunked = http.request("/api/queues/work/tasks")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> stream)).build();
    expectError(http.send(chunked), 413, "body_too_large", String.valueOf(MAX_BODY));

    assertThat(http.post("/api/queues/other/tasks", "{\"args\": 1}").status()).isEqualTo(201);
  }

  @Test
  void onlyJsonIsTaken() {
    expectError(http.send("POST", "/api/queues/work/tasks", "{\"args\": 1}", "text/plain"), 415,
        "unsupported_media_type", "'text/plain'");
    expectError(http.send("POST", "/api/queues/work/tasks", "<args/>", "application/xml"), 415,
        "unsupported_media_type", "Content-Type: application/json");
    assertThat(http.send("POST", "/api/queues/other/tasks", "{\"args\": 1}",
        "application/json; charset=utf-8").status()).isEqualTo(201);
    assertThat(http.send("POST", "/api/queues/other/tasks", "{\"args\": 1}", null).status())
        .isEqualTo(201);
    expectError(http.send("POST", "/api/queues/work/tasks", "args=1", null), 400,
        "malformed_json", "not valid JSON");
    expectError(http.send("POST", "/api/queues/work/tasks",
        "{\"args\": \"\u00ff\u0000\"", "application/json"), 400, "malformed_json", "line 1");
  }

  @Test
  void requestsJettyRefusesStillGetTheErrorShape() throws IOException {
    String garbage = raw("GARBAGE\r\n\r\n");
    assertThat(garbage).startsWith("HTTP/1.1 400").contains("application/json")
        .contains("{\"error\":{\"code\":\"bad_request\",\"message\":\"the request was refused");
    String huge = raw("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
        + "\r\nConnection: close\r\n\r\n");
    assertThat(huge).startsWith("HTTP/1.1 431").contains("\"code\":\"headers_too_large\"");
    String twoLengths = raw("POST /api/queues/work/tasks HTTP/1.1\r\nHost: x\r\n"
        + "Content-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello");
    assertThat(twoLengths).startsWith("HTTP/1.1 400").contains("\"code\":\"bad_request\"");
    for (String answer : new String[] {garbage, huge, twoLengths}) {
      assertThat(answer).doesNotContain("<html").doesNotContain("Exception");
    }
  }

  @Test
  void everyJsonAnswerTellsBrowsersNotToSniffIt() throws IOException {
    long id = f.submit("other", "1");
    for (Http.Response r : List.of(http.get("/api/health"), http.get("/api/tasks/" + id),
        http.get("/api/tasks?limit=1"), http.post("/api/queues/other/tasks", "{\"args\": 1}"),
        http.get("/api/nope"), http.get("/api/tasks/abc"), http.delete("/api/queues"),
        http.post("/api/queues/work/tasks", "{\"args\": <script>}"),
        http.send("POST", "/api/queues/work/tasks", "{}", "text/html"))) {
      assertThat(r.header("Content-Type")).as(r.toString())
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
      assertThat(r.header("X-Content-Type-Options")).as(r.toString()).contains("nosniff");
    }
    assertThat(raw("GARBAGE\r\n\r\n")).containsIgnoringCase("X-Content-Type-Options: nosniff");
    assertThat(raw("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
        + "\r\nConnection: close\r\n\r\n"))
        .containsIgnoringCase("X-Content-Type-Options: nosniff");
  }

  @Test
  void whileShuttingDownSubmitsAre503WithRetryAfterAndHealthSaysSo() {
    Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", Object.class, ctx -> null).build()).build();
    ApiServer server = ApiServer.builder(errand).port(0).build();
    try {
      Http h = new Http(server.start(), null);
      assertThat(h.get("/api/health").status()).isEqualTo(200);
      errand.shutdown(Duration.ofSeconds(5));

      Http.Response refused = h.post("/api/queues/q/tasks", "{\"args\": 1}");
      expectError(refused, 503, "shutting_down", "shutting down");
      assertThat(refused.header("Retry-After")).contains(ErrorMapper.SHUTDOWN_RETRY_AFTER);
      expectError(h.post("/api/queues/q/batches", "{\"tasks\": [1]}"), 503, "shutting_down",
          "shutting down");

      Http.Response health = h.get("/api/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().get("status").asText()).isEqualTo("shutting_down");
    } finally {
      server.stop();
      errand.close();
    }
  }

  @Test
  void aFailingStoreMakesHealth503AndOtherFailures500WithoutDetails() {
    // An Errand whose listing fails, as a store that lost its disk would.
    Errand broken = (Errand) Proxy.newProxyInstance(Errand.class.getClassLoader(),
        new Class<?>[] {Errand.class}, (proxy, method, args) -> {
          if (method.getName().equals("list")) {
            throw new IllegalStateException("disk on fire");
          }
          try {
            return method.invoke(f.errand, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    ApiServer server = ApiServer.builder(broken).port(0).build();
    try {
      Http h = new Http(server.start(), null);
      Http.Response health = h.get("/api/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().get("status").asText()).isEqualTo("ok");
      assertThat(health.json().get("store").asText()).isEqualTo("unavailable");
      assertThat(health.json().get("store_error").asText()).isEqualTo("disk on fire");

      Http.Response list = h.get("/api/tasks");
      expectError(list, 500, "internal_error", "the server log has the details");
      assertThat(list.body()).doesNotContain("disk on fire").doesNotContain("Exception");
      assertThat(h.get("/api/queues").status()).isEqualTo(200);
    } finally {
      server.stop();
    }
  }

  @Test
  void theServerRefusesBadSettingsAndASecondStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> ApiServer.builder(f.errand).port(70_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("API server port must be between 0 and 65535, was 70000");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> ApiServer.builder(f.errand).eventBuffer(1).build())
        .hasMessageContaining("eventBuffer must be between 16");
    org.assertj.core.api.Assertions.assertThatThrownBy(f.server::start)
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> ApiServer.builder(f.errand).port(f.server.port()).build().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot listen on 127.0.0.1:" + f.server.port());
  }

  private static String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", f.server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
