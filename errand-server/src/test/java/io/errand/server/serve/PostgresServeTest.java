package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.postgres.TestDatabase;
import io.errand.server.LogCapture;
import io.errand.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers on a PostgreSQL store ({@code store.type: postgres}): two of them share one schema's
 * tasks, and a task accepted by one server survives it. Runs on the PostgreSQL at
 * 127.0.0.1:5432, or an embedded one ({@link TestDatabase}).
 */
class PostgresServeTest {
  @TempDir
  Path dir;
  private final TestDatabase db = TestDatabase.get();
  private final String schema = db.freshSchema();
  private final Set<ErrandServer> servers = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() {
    servers.forEach(ErrandServer::shutdown);
    db.drop(schema);
  }

  @Test
  void twoServersShareOneSchemasTasks() throws IOException {
    Api a = serve("a");
    Api b = serve("b");

    long id = a.submit("demo", "{\"steps\": 1, \"step_ms\": 1}");

    await().atMost(Duration.ofSeconds(30))
        .until(() -> b.task(id).path("status").asText().equals("SUCCESS"));
    assertThat(a.task(id).path("status").asText()).isEqualTo("SUCCESS");
  }

  @Test
  void aTaskAcceptedByAServerThatStopsRunsOnTheNextOne() throws IOException {
    Api first = serve("first");
    long id = first.submit("demo", "{\"steps\": 1, \"step_ms\": 1}");
    Api.Answer delayed = first.post("/api/queues/demo/tasks",
        "{\"args\": {\"steps\": 1, \"step_ms\": 1}, \"delay\": \"1s\"}");
    assertThat(delayed.status()).isEqualTo(201);
    servers.forEach(ErrandServer::shutdown);
    servers.clear();

    Api next = serve("next");

    await().atMost(Duration.ofSeconds(30))
        .until(() -> next.task(delayed.id()).path("status").asText().equals("SUCCESS"));
    assertThat(next.task(id).path("status").asText()).isEqualTo("SUCCESS");
  }

  @Test
  void thePasswordComesFromTheEnvironmentAndIsNeverShown() throws IOException {
    Path config = Files.writeString(dir.resolve("pg.yaml"), """
        server: {port: 0}
        store:
          type: postgres
          url: "%s"
          password: ${PG_SECRET}
          schema: %s
        queues:
          demo: {handler: demo}
        """.formatted(db.url(), schema));
    ErrandServer server = ErrandServer.start(new ConfigLoader(Map.of("PG_SECRET",
        "not-needed-with-trust-auth")).load(config));
    servers.add(server);

    assertThat(server.config().store().postgres().password()).hasToString("****");
    assertThat(server.config().secretEnv()).contains("PG_SECRET");
    assertThat(new Api(server.url()).get("/api/health").status()).isEqualTo(200);
  }

  @Test
  void anExecGraceNotShorterThanTheLeaseIsWarnedOfAtStart() throws IOException {
    Path config = Files.writeString(dir.resolve("lease.yaml"), """
        server: {port: 0}
        store:
          type: postgres
          url: "%s"
          schema: %s
          heartbeat: 1s
          lease: 3s
        queues:
          slow: {handler: exec, cancel_grace: 10s, options: {command: [true], grace: 3s}}
          quick: {handler: exec, options: {command: [true], grace: 2s}}
        """.formatted(db.url(), schema));
    try (LogCapture logs = LogCapture.debug()) {
      servers.add(ErrandServer.start(new ConfigLoader(Map.of()).load(config)));

      assertThat(logs.text())
          .contains("queues.slow.options.grace: grace 3s is not shorter than store.lease 3s")
          .doesNotContain("queues.quick.options.grace");
    }
  }

  private Api serve(String name) throws IOException {
    Path config = Files.writeString(dir.resolve(name + ".yaml"), """
        server: {port: 0}
        store:
          type: postgres
          url: "%s"
          schema: %s
          heartbeat: 1s
          lease: 3s
        queues:
          demo: {handler: demo}
        """.formatted(db.url(), schema));
    ErrandServer server = ErrandServer.start(new ConfigLoader(Map.of()).load(config));
    servers.add(server);
    return new Api(server.url());
  }
}
