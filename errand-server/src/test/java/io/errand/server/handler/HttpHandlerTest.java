package io.errand.server.handler;

import static io.errand.server.handler.Handlers.done;
import static io.errand.server.handler.Handlers.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.NonRetryableException;
import io.errand.api.QueueSpec;
import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The http handler driven through a real Errand against a local stub server. */
class HttpHandlerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private HttpStub stub;
  private Errand errand;

  @BeforeEach
  void startStub() throws IOException {
    stub = new HttpStub();
  }

  @AfterEach
  void stop() {
    if (errand != null) {
      errand.shutdown(Duration.ofSeconds(10));
    }
    stub.close();
  }

  private Errand start(Map<String, ?> options,
      UnaryOperator<QueueSpec.Builder<Object, Object>> tune) {
    errand = Handlers.errand(new HttpHandlerFactory(), options, tune);
    return errand;
  }

  @Test
  void theArgsArePostedAsJsonAndA2xxJsonBodyIsTheResult() throws Exception {
    stub.on("/hook", (ex, n) -> HttpStub.send(ex, 200, "application/json; charset=utf-8",
        "{\"done\": true, \"n\": 3, \"tags\": [\"a\"]}"));
    start(Map.of("url", stub.url("/hook"), "headers", Map.of("X-Team", "blue")),
        UnaryOperator.identity());

    long id = errand.submit(Handlers.QUEUE, Map.of("to", "ada@example.com", "n", 2));

    TaskInfo t = done(errand, id);
    assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(t.response()).isEqualTo(Map.of("done", true, "n", 3, "tags", List.of("a")));
    HttpStub.Seen s = stub.seen.get(0);
    assertThat(s.method()).isEqualTo("POST");
    assertThat(s.headers().getFirst("Content-Type")).isEqualTo("application/json");
    assertThat(s.headers().getFirst("X-Errand-Task-Id")).isEqualTo(Long.toString(id));
    assertThat(s.headers().getFirst("X-Errand-Attempt")).isEqualTo("1");
    assertThat(s.headers().getFirst("Idempotency-Key")).isEqualTo("errand-" + id);
    assertThat(s.headers().getFirst("X-Team")).isEqualTo("blue");
    assertThat(JsonValues.parse(s.body())).isEqualTo(Map.of("to", "ada@example.com", "n", 2));
  }

  @Test
  void otherBodiesAreTextAndAnEmptyOneIsNull() throws Exception {
    stub.on("/text", (ex, n) -> HttpStub.send(ex, 200, "text/plain", "queued as 17"))
        .on("/empty", (ex, n) -> HttpStub.send(ex, 204, null, null))
        .on("/put", (ex, n) -> HttpStub.send(ex, 201, null, "[1, 2]"));
    start(Map.of("url", stub.url("/text")), UnaryOperator.identity());
    long text = errand.submit(Handlers.QUEUE, Map.of());
    assertThat(done(errand, text).response()).isEqualTo("queued as 17");
    errand.close();
    start(Map.of("url", stub.url("/empty")), UnaryOperator.identity());
    long empty = errand.submit(Handlers.QUEUE, Map.of());
    TaskInfo e = done(errand, empty);
    assertThat(e.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(e.response()).isNull();
    errand.close();
    start(Map.of("url", stub.url("/put"), "method", "put"), UnaryOperator.identity());
    long put = errand.submit(Handlers.QUEUE, Map.of());
    assertThat(done(errand, put).response()).isEqualTo(List.of(1, 2));
    assertThat(stub.seen.get(2).method()).isEqualTo("PUT");
  }

  @Test
  void a500IsRetriedAndTheNextAttemptSucceeds() throws Exception {
    stub.on("/flaky", (ex, n) -> {
      if (n == 1) {
        HttpStub.send(ex, 500, "text/plain", "database\n  is down");
      } else {
        HttpStub.send(ex, 200, "application/json", "{\"ok\": true}");
      }
    });
    start(Map.of("url", stub.url("/flaky")), s -> s.attempts(3));

    long id = errand.submit(Handlers.QUEUE, Map.of());

    TaskInfo t = done(errand, id);
    assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(t.attempt()).isEqualTo(2);
    assertThat(t.response()).isEqualTo(Map.of("ok", true));
    assertThat(t.errors()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(HttpStatusException.class.getName());
      assertThat(e.message()).isEqualTo("POST " + stub.url("/flaky")
          + " answered HTTP 500: database is down");
    });
    assertThat(stub.seen).extracting(s -> s.headers().getFirst("X-Errand-Attempt"))
        .containsExactly("1", "2");
    assertThat(stub.seen).extracting(s -> s.headers().getFirst("Idempotency-Key"))
        .containsOnly("errand-" + id);
  }

  @Test
  void a429IsRetriedToo() throws Exception {
    stub.on("/busy", (ex, n) -> HttpStub.send(ex, 429, null, null));
    start(Map.of("url", stub.url("/busy")), s -> s.attempts(2));

    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.attempt()).isEqualTo(2);
    assertThat(t.message()).isEqualTo("POST " + stub.url("/busy") + " answered HTTP 429");
  }

  @Test
  void a404FailsTheTaskWithoutRetry() throws Exception {
    String longBody = "no such hook " + "x".repeat(1000);
    stub.on("/missing", (ex, n) -> HttpStub.send(ex, 404, "text/plain", longBody));
    start(Map.of("url", stub.url("/missing")), s -> s.attempts(3));

    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.attempt()).isEqualTo(1);
    assertThat(stub.seen).hasSize(1);
    assertThat(t.errors()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(NonRetryableException.class.getName());
      assertThat(e.message()).isEqualTo("POST " + stub.url("/missing") + " answered HTTP 404: "
          + longBody.substring(0, 300) + "…");
    });
  }

  @Test
  void aRefusedConnectionIsRetried() throws Exception {
    String url = "http://127.0.0.1:" + HttpStub.deadPort() + "/x";
    start(Map.of("url", url), s -> s.attempts(2));

    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.attempt()).isEqualTo(2);
    assertThat(t.errors()).hasSize(2).allSatisfy(e -> {
      assertThat(e.type()).isEqualTo(IOException.class.getName());
      assertThat(e.message()).startsWith("POST " + url + " failed: ConnectException");
    });
  }

  @Test
  void anAttemptThatTakesLongerThanTheTimeoutFailsAndIsRetried() throws Exception {
    stub.on("/slow", (ex, n) -> {
      stub.release.await();
      HttpStub.send(ex, 200, null, null);
    });
    start(Map.of("url", stub.url("/slow"), "timeout", "300ms"), s -> s.attempts(2));

    long t0 = System.nanoTime();
    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.attempt()).isEqualTo(2);
    assertThat(t.errors()).hasSize(2).allSatisfy(e -> assertThat(e.message())
        .isEqualTo("POST " + stub.url("/slow") + " timed out after 300ms"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void cancelAbortsTheRequestInFlight() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      CountDownLatch accepted = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      Thread.ofPlatform().daemon().start(() -> {
        try (Socket s = server.accept()) {
          accepted.countDown();
          HttpStub.drain(s.getInputStream()); // never answers; returns when the client closes
          closed.countDown();
        } catch (IOException e) {
          // the test ends
        }
      });
      start(Map.of("url", "http://127.0.0.1:" + server.getLocalPort() + "/hang"),
          UnaryOperator.identity());
      long id = errand.submit(Handlers.QUEUE, Map.of("big", "job"));
      assertThat(accepted.await(20, TimeUnit.SECONDS)).isTrue();
      await().atMost(PATIENCE).until(() -> running(errand, id));

      long t0 = System.nanoTime();
      errand.cancel(id, "not needed");
      TaskInfo t = done(errand, id);

      assertThat(t.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      assertThat(closed.await(20, TimeUnit.SECONDS)).as("the stub saw the connection close")
          .isTrue();
    }
  }

  @Test
  void credentialsInTheUrlAreSentButNeverShown() throws Exception {
    stub.on("/auth", (ex, n) -> HttpStub.send(ex, 403, "text/plain", "you sent "
        + ex.getRequestHeaders().getFirst("Authorization") + " and "
        + ex.getRequestHeaders().getFirst("X-Api-Key").toUpperCase()));
    String url = stub.url("/auth").replace("http://", "http://alice:s3cr3t-pw@");
    start(Map.of("url", url, "headers", Map.of("X-Api-Key", "key-abc-123")),
        s -> s.attempts(2));

    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    String basic = Base64.getEncoder().encodeToString("alice:s3cr3t-pw".getBytes(
        StandardCharsets.UTF_8));
    assertThat(stub.seen.get(0).headers().getFirst("Authorization")).isEqualTo("Basic " + basic);
    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    String shown = stub.url("/auth").replace("http://", "http://****@");
    assertThat(t.message()).isEqualTo("POST " + shown + " answered HTTP 403: you sent Basic ****"
        + " and ****");
    assertThat(t.toString()).doesNotContain("s3cr3t-pw", "alice", basic, "key-abc-123",
        "KEY-ABC-123");
  }

  @Test
  void secretsEchoedInAResultAreMasked() throws Exception {
    stub.on("/echo", (ex, n) -> HttpStub.send(ex, 200, "application/json",
        "{\"headers\": {\"Authorization\": \"" + ex.getRequestHeaders().getFirst("Authorization")
            + "\", \"X-Api-Key\": [\"" + ex.getRequestHeaders().getFirst("X-Api-Key")
            + "\"]}, \"n\": 1}"));
    String url = stub.url("/echo").replace("http://", "http://alice:s3cr3t-pw@");
    start(Map.of("url", url, "headers", Map.of("X-Api-Key", "key-abc-123")),
        UnaryOperator.identity());

    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(t.response()).isEqualTo(Map.of("headers", Map.of("Authorization", "Basic ****",
        "X-Api-Key", List.of("****")), "n", 1));
  }

  @Test
  void credentialsAreNotShownWhenTheConnectionFailsEither() throws Exception {
    int port = HttpStub.deadPort();
    start(Map.of("url", "http://alice:s3cr3t-pw@127.0.0.1:" + port + "/x?token=tok-9876"),
        s -> s.attempts(2));

    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.errors()).extracting(TaskError::message).allSatisfy(m -> assertThat(m)
        .startsWith("POST http://****@127.0.0.1:" + port + "/x?token=**** failed: "));
    assertThat(t.toString()).doesNotContain("s3cr3t-pw", "alice", "tok-9876");
  }
}
