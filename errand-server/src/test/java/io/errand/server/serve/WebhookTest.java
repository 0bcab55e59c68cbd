package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.errand.server.config.ConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-queue webhooks: the events a config names are POSTed, in order, retried on 5xx. */
class WebhookTest {
  @TempDir
  Path dir;
  private HttpServer receiver;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger failFirst = new AtomicInteger();
  private ErrandServer server;

  @BeforeEach
  void receive() throws IOException {
    ObjectMapper json = new ObjectMapper();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status = failFirst.getAndDecrement() > 0 ? 503 : 204;
      if (status == 204) {
        received.add(json.readTree(body));
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdown();
    }
    receiver.stop(0);
  }

  private Api serve() throws IOException {
    String hook = "http://user:secret@127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    Path config = Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0}
        store: {type: memory}
        queues:
          mail:
            handler: demo
            events: {add: "%1$s", success: "%1$s", error: "%1$s"}
        """.formatted(hook));
    server = ErrandServer.start(new ConfigLoader(Map.of()).load(config));
    return new Api(server.url());
  }

  @Test
  void namedEventsArePostedInOrderAndOthersAreNot() throws IOException {
    Api api = serve();
    long id = api.submit("mail", "{\"steps\": 3, \"step_ms\": 5}");
    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 2);
    assertThat(received).extracting(e -> e.path("event").asText())
        .containsExactly("add", "success");
    JsonNode success = received.get(1);
    assertThat(success.path("task_id").asLong()).isEqualTo(id);
    assertThat(success.path("queue").asText()).isEqualTo("mail");
    assertThat(success.path("status").asText()).isEqualTo("SUCCESS");
    assertThat(authorizations).containsOnly("Basic " + java.util.Base64.getEncoder()
        .encodeToString("user:secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void aReceiverAnswering503IsTriedAgain() throws IOException {
    failFirst.set(1);
    Api api = serve();
    long id = api.submit("mail", "{\"steps\": 1, \"step_ms\": 1, \"fail\": true}");
    await().atMost(Duration.ofSeconds(30)).until(() -> received.stream()
        .anyMatch(e -> e.path("event").asText().equals("error")));
    assertThat(received).extracting(e -> e.path("event").asText())
        .containsExactly("add", "error");
    assertThat(received.get(1).path("task_id").asLong()).isEqualTo(id);
    assertThat(received.get(1).path("message").asText()).contains("failed at step 1");
  }
}
