package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-queue webhooks: the events a config names are POSTed, in order, retried on 5xx. */
class WebhookTest {
  @TempDir
  Path dir;
  private HookReceiver hooks;
  private ErrandServer server;

  @BeforeEach
  void receive() throws IOException {
    hooks = new HookReceiver();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdown();
    }
    hooks.close();
  }

  private Api serve() throws IOException {
    String hook = "http://user:secret@127.0.0.1:" + hooks.port() + "/hook";
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
    await().atMost(Duration.ofSeconds(30)).until(() -> hooks.received().size() >= 2);
    assertThat(hooks.received()).extracting(e -> e.path("event").asText())
        .containsExactly("add", "success");
    JsonNode success = hooks.received().get(1);
    assertThat(success.path("task_id").asLong()).isEqualTo(id);
    assertThat(success.path("queue").asText()).isEqualTo("mail");
    assertThat(success.path("status").asText()).isEqualTo("SUCCESS");
    assertThat(hooks.authorizations()).containsOnly("Basic " + java.util.Base64.getEncoder()
        .encodeToString("user:secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void aReceiverAnswering503IsTriedAgain() throws IOException {
    hooks.failFirst(1);
    Api api = serve();
    long id = api.submit("mail", "{\"steps\": 1, \"step_ms\": 1, \"fail\": true}");
    await().atMost(Duration.ofSeconds(30)).until(() -> hooks.received().stream()
        .anyMatch(e -> e.path("event").asText().equals("error")));
    assertThat(hooks.received()).extracting(e -> e.path("event").asText())
        .containsExactly("add", "error");
    assertThat(hooks.received().get(1).path("task_id").asLong()).isEqualTo(id);
    assertThat(hooks.received().get(1).path("message").asText()).contains("failed at step 1");
  }
}
