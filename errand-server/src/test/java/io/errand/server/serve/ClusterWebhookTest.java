package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.postgres.TestDatabase;
import io.errand.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one PostgreSQL schema, both with the same webhooks: each event is posted once
 * for the cluster, whichever server made it and whichever server delivers it.
 */
class ClusterWebhookTest {
  @TempDir
  Path dir;
  private final TestDatabase db = TestDatabase.get();
  private final String schema = db.freshSchema();
  private final Set<ErrandServer> servers = ConcurrentHashMap.newKeySet();
  private HookReceiver hooks;

  @BeforeEach
  void receive() throws IOException {
    hooks = new HookReceiver();
  }

  @AfterEach
  void stop() {
    servers.forEach(ErrandServer::shutdown);
    hooks.close();
    db.drop(schema);
  }

  private Api serve(String name) throws IOException {
    String hook = hooks.url();
    Path config = Files.writeString(dir.resolve(name + ".yaml"), """
        server: {port: 0}
        store: {type: postgres, url: "%1$s", schema: %2$s, heartbeat: 1s, lease: 3s}
        queues:
          mail:
            handler: demo
            workers: 4
            events: {add: "%3$s", success: "%3$s"}
        """.formatted(db.url(), schema, hook));
    ErrandServer server = ErrandServer.start(new ConfigLoader(Map.of()).load(config));
    servers.add(server);
    return new Api(server.url());
  }

  @Test
  void eachEventIsPostedOnceForTheWholeCluster() throws IOException {
    Api a = serve("a");
    Api b = serve("b");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add((i % 2 == 0 ? a : b).submit("mail", "{\"steps\": 1, \"step_ms\": 1}"));
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> hooks.received().size() >= 40);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
        .until(() -> hooks.received().size() == 40);
    for (String kind : List.of("add", "success")) {
      assertThat(hooks.received().stream().filter(e -> e.path("event").asText().equals(kind))
          .map(e -> e.path("task_id").asLong())).as(kind).containsExactlyInAnyOrderElementsOf(ids);
    }
    assertThat(hooks.received().stream().map(e -> e.path("seq").asLong()).distinct()).hasSize(40);
  }
}
