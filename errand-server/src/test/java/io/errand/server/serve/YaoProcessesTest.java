package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.server.ErrandCommand;
import io.errand.server.config.ConfigException;
import io.errand.server.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Seed 004's task file, exactly as Yao has it, run through a config that binds its process
 * names ({@code processes}) to Errand's handlers and webhooks: no class of those names is used,
 * the bindings win. Its {@code name} is the queue's label in the API and the CLI.
 */
class YaoProcessesTest {
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

  private Path seedFile() throws Exception {
    Path tasks = Files.createDirectories(dir.resolve("tasks"));
    Files.copy(Path.of(getClass().getResource("/yao/tasks/example.yao").toURI()),
        tasks.resolve("example.yao"));
    return tasks.resolve("example.yao");
  }

  @Test
  void theSeedsOwnFileRunsThroughTheHandlersItsProcessesAreBoundTo() throws Exception {
    Path file = seedFile();
    String seedText = Files.readString(file);
    String hook = hooks.url();
    Path progressLog = dir.resolve("progress.log");
    Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0}
        store: {type: memory}
        tasks: tasks
        processes:
          scripts.task.Send:
            handler: exec
            options:
              command: [sh, -c, 'echo "::progress 1/2 sending"; if [ "$1" = true ]; then echo "cannot send to $0" >&2; exit 1; fi; echo "::result {\\"via\\": \\"exec\\", \\"to\\": \\"$0\\"}"', "{to}", "{fail}"]
          scripts.task.NextID:
            handler: exec
            options: {command: [sh, -c, 'echo "::result $(date +%%s%%N | cut -c1-16)"']}
          scripts.task.OnAdd: %1$s
          scripts.task.OnSuccess: {url: "%1$s"}
          scripts.task.OnError: %1$s
          scripts.task.OnProgress:
            handler: exec
            options: {command: [sh, -c, 'echo "$0 $1" >> "$2"', "{task_id}", "{message}", "%2$s"]}
        """.formatted(hook, progressLog));
    server = ErrandServer.start(new ConfigLoader(Map.of()).load(dir.resolve("errand.yaml")));
    Api api = new Api(server.url());

    long ok = api.submit("example", "{\"to\": \"ann@example.com\", \"fail\": false}");
    long bad = api.submit("example", "{\"to\": \"bob@example.com\", \"fail\": true}");
    assertThat(ok).as("an id from the bound NextID").isGreaterThan(1_000_000_000_000_000L);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(api.task(ok).path("status").asText()).isEqualTo("SUCCESS");
      assertThat(api.task(bad).path("status").asText()).isEqualTo("FAILURE");
    });
    assertThat(api.task(ok).path("response").path("via").asText()).isEqualTo("exec");
    assertThat(api.task(bad).path("attempt").asInt()).isEqualTo(3);
    assertThat(api.task(bad).path("message").asText()).contains("cannot send to bob@example.com");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(events("add", ok)).isEqualTo(1);
      assertThat(events("success", ok)).isEqualTo(1);
      assertThat(events("error", bad)).isEqualTo(3);
      assertThat(Files.exists(progressLog) ? Files.readString(progressLog) : "")
          .contains(ok + " sending");
    });
    assertThat(Files.readString(file)).as("the task file, untouched").isEqualTo(seedText);
  }

  @Test
  void theQueuesYaoNameIsItsLabelInTheApiAndTheCli() throws Exception {
    seedFile();
    Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0}
        store: {type: memory}
        tasks: tasks
        processes:
          scripts.task.Send: demo
          scripts.task.NextID: demo
          scripts.task.OnAdd: demo
          scripts.task.OnSuccess: demo
          scripts.task.OnError: demo
          scripts.task.OnProgress: demo
        """);
    server = ErrandServer.start(new ConfigLoader(Map.of()).load(dir.resolve("errand.yaml")));

    JsonNode queues = new Api(server.url()).get("/api/queues").body();
    assertThat(queues.path("queues").get(0).path("name").asText()).isEqualTo("example");
    assertThat(queues.path("queues").get(0).path("label").asText()).isEqualTo("示例任务");
    StringWriter out = new StringWriter();
    CommandLine cli = ErrandCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    assertThat(cli.execute("queues", "--server", server.url().toString())).isZero();
    assertThat(out.toString()).contains("LABEL").contains("示例任务");
  }

  @Test
  void anUnboundProcessIsNamedByTheKeyTheFileHasWithHowToBindIt() throws Exception {
    Path tasks = Files.createDirectories(dir.resolve("tasks"));
    Files.writeString(tasks.resolve("mail.yao"), """
        {"name": "Mail", "worker_nums": 1, "process": "scripts.mail.Send",
         "event": {"success": "scripts.mail.OnSuccess"}}
        """);
    Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0}
        store: {type: memory}
        tasks: tasks
        processes:
          scripts.mail.Send: demo
        """);

    assertThatThrownBy(() -> ErrandServer.start(new ConfigLoader(Map.of())
        .load(dir.resolve("errand.yaml"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(tasks.resolve("mail.yao") + ": event.success: unknown process"
            + " 'scripts.mail.OnSuccess': ")
        .hasMessageContaining("processes: {scripts.mail.OnSuccess: {handler: ");

    assertThatThrownBy(() -> ErrandServer.start(new ConfigLoader(Map.of())
        .load(tasks.resolve("mail.yao"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(tasks.resolve("mail.yao") + ": process: unknown process"
            + " 'scripts.mail.Send': Yao names processes, Errand runs handlers; bind it");
  }

  private long events(String kind, long id) {
    return hooks.received().stream().filter(e -> e.path("event").asText().equals(kind))
        .filter(e -> e.path("task_id").asLong() == id).count();
  }
}
