package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.server.config.ConfigLoader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scripts.task.Hooked;
import scripts.task.NextID;

/**
 * Seed 004's {@code tasks/example.yao}, byte for byte, served as it is: its {@code process} and
 * {@code event.*} names resolve to handler classes ({@code scripts.task.*} in the tests).
 */
class YaoTaskFileTest {
  @TempDir
  Path dir;
  private ErrandServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdown();
    }
  }

  private Api serve(Path config) {
    server = ErrandServer.start(new ConfigLoader(Map.of("ERRAND_TEST", "1")).load(config));
    return new Api(server.url());
  }

  private Path exampleFile() throws URISyntaxException, java.io.IOException {
    Path source = Path.of(getClass().getResource("/yao/tasks/example.yao").toURI());
    Path tasks = Files.createDirectories(dir.resolve("tasks"));
    Files.copy(source, tasks.resolve("example.yao"));
    Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0}
        store: {type: sqlite, path: data/errand.db}
        tasks: tasks
        """);
    return tasks.resolve("example.yao");
  }

  @Test
  void theSeedsExampleFileRunsWithItsIdGeneratorAndEveryHook() throws Exception {
    exampleFile();
    Hooked.CALLS.clear();
    Api api = serve(dir.resolve("errand.yaml"));

    JsonNode queue = api.get("/api/queues/example").body();
    assertThat(queue.toString()).contains("\"workers\":10").contains("\"attempts\":3")
        .contains("\"capacity\":1000");

    long before = NextID.NEXT.get();
    long ok = api.submit("example", "{\"to\": \"ann@example.com\"}");
    long bad = api.submit("example", "{\"to\": \"bob@example.com\", \"fail\": true}");
    assertThat(ok).isGreaterThan(before);
    assertThat(bad).isGreaterThan(ok);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(api.task(ok).path("status").asText()).isEqualTo("SUCCESS");
      assertThat(api.task(bad).path("status").asText()).isEqualTo("FAILURE");
    });
    JsonNode done = api.task(ok);
    assertThat(done.path("response").path("sent").asText()).isEqualTo("ann@example.com");
    assertThat(done.path("current").asLong()).isEqualTo(3);
    assertThat(done.path("total").asLong()).isEqualTo(3);
    JsonNode failed = api.task(bad);
    assertThat(failed.path("attempt").asInt()).isEqualTo(3);
    assertThat(failed.path("message").asText()).contains("cannot send to bob@example.com");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(hooks("OnAdd", ok)).isEqualTo(1);
      assertThat(hooks("OnSuccess", ok)).isEqualTo(1);
      assertThat(hooks("OnProgress", ok)).isEqualTo(3);
      assertThat(hooks("OnError", bad)).isEqualTo(3); // two retries, then the final failure
      assertThat(hooks("OnSuccess", bad)).isZero();
    });
  }

  private static long hooks(String hook, long id) {
    return Hooked.CALLS.stream().filter(c -> c.hook().equals(hook))
        .filter(c -> ((Number) c.event().get("task_id")).longValue() == id).count();
  }
}
