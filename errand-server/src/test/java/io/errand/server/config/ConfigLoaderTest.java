package io.errand.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Backoff;
import io.errand.api.QueueSpec;
import io.errand.api.RestartPolicy;
import io.errand.api.StopTimeouts;
import io.errand.server.config.ServerConfig.QueueConfig;
import io.errand.server.config.ServerConfig.Store;
import io.errand.server.config.ServerConfig.SupervisorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private final ConfigLoader loader = new ConfigLoader(Map.of("ERRAND_TOKEN", "s3cret"));

  @Test
  void readsAFullYamlConfig() throws IOException {
    Path file = write("errand.yaml", """
        server:
          bind: 0.0.0.0
          port: 9090
          token: ${ERRAND_TOKEN}
          max_body: 2MiB
        store:
          type: sqlite
          path: db/tasks.db
          synchronous: full
        data_dir: data
        plugins_dir: /opt/errand/plugins
        shutdown_grace: 10s
        retention: 2h
        queues:
          mail:
            label: Mails
            handler: http
            options: {url: "https://mail.example/send"}
            workers: 3
            capacity: 50
            timeout: 1m
            attempts: 4
            retry_after: 250ms
            cancel_grace: 2s
            threads: platform
            events: {add: "https://hooks.example/add", error: scripts.OnError}
            next: ids.Next
          thumbs:
            handler: exec
            backoff: {type: exponential, delay: 1s, max: 30s, jitter: 0.5}
            retention: 7d
          sync:
            handler: git-sync
        supervisors:
          tail:
            handler: exec
            options: {command: [tail, -F, x]}
            restart: {mode: always, backoff: {delay: 2s}, budget: 3, window: 5m}
            stop: {graceful: 1s, forced: 2s, last: 0s}
            heartbeat_timeout: 45s
            threads: platform
        users:
          alice:
            args: {url: "https://git.example/alice.git", dir: alice}
          bob:
            queue: mail
            args: {to: bob}
        """);

    ServerConfig c = loader.load(file);

    assertThat(c.source()).isEqualTo(file);
    assertThat(c.http().bind()).isEqualTo("0.0.0.0");
    assertThat(c.http().port()).isEqualTo(9090);
    assertThat(c.http().token().matches("s3cret")).isTrue();
    assertThat(c.http().token()).hasToString("****");
    assertThat(c.http().maxBodyBytes()).isEqualTo(2 * 1_048_576L);
    assertThat(c.store()).isEqualTo(new Store(Store.Kind.SQLITE, dir.resolve("db/tasks.db"),
        "FULL"));
    assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
    assertThat(c.pluginsDir()).isEqualTo(Path.of("/opt/errand/plugins"));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.queues()).containsOnlyKeys("mail", "thumbs", "sync");

    QueueConfig mail = c.queues().get("mail");
    assertThat(mail.name()).isEqualTo("mail");
    assertThat(mail.path()).isEqualTo("queues.mail");
    assertThat(mail.pathOf("options")).isEqualTo("queues.mail.options");
    assertThat(mail.file()).isEqualTo(file);
    assertThat(mail.label()).isEqualTo("Mails");
    assertThat(mail.handler()).isEqualTo("http");
    assertThat(mail.options().get("url").asText()).isEqualTo("https://mail.example/send");
    assertThat(mail.workers()).isEqualTo(3);
    assertThat(mail.capacity()).isEqualTo(50);
    assertThat(mail.timeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(mail.attempts()).isEqualTo(4);
    assertThat(mail.backoff()).isEqualTo(Backoff.fixed(Duration.ofMillis(250)));
    assertThat(mail.cancelGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(mail.retention()).isEqualTo(Duration.ofHours(2));
    assertThat(mail.threads()).isEqualTo(QueueSpec.Threads.PLATFORM);
    assertThat(mail.events()).containsExactly(Map.entry("add", "https://hooks.example/add"),
        Map.entry("error", "scripts.OnError"));
    assertThat(mail.next()).isEqualTo("ids.Next");

    QueueConfig thumbs = c.queues().get("thumbs");
    assertThat(thumbs.backoff()).isEqualTo(
        Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.5));
    assertThat(thumbs.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(thumbs.options()).isNull();

    QueueConfig sync = c.queues().get("sync");
    assertThat(sync.workers()).isEqualTo(1);
    assertThat(sync.capacity()).isEqualTo(100_000);
    assertThat(sync.timeout()).isNull();
    assertThat(sync.attempts()).isEqualTo(1);
    assertThat(sync.backoff()).isEqualTo(Backoff.fixed(Duration.ofSeconds(1)));
    assertThat(sync.cancelGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(sync.threads()).isEqualTo(QueueSpec.Threads.VIRTUAL);
    assertThat(sync.events()).isEmpty();
    assertThat(sync.next()).isNull();
    assertThat(sync.label()).isNull();

    SupervisorConfig tail = c.supervisors().get("tail");
    assertThat(tail.path()).isEqualTo("supervisors.tail");
    assertThat(tail.pathOf("options")).isEqualTo("supervisors.tail.options");
    assertThat(tail.handler()).isEqualTo("exec");
    assertThat(tail.options().get("command").size()).isEqualTo(3);
    assertThat(tail.restart()).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ALWAYS,
        Backoff.exponential(Duration.ofSeconds(2), Duration.ofMinutes(1), 0.2), 3,
        Duration.ofMinutes(5)));
    assertThat(tail.stopTimeouts()).isEqualTo(
        new StopTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO));
    assertThat(tail.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(tail.threads()).isEqualTo(QueueSpec.Threads.PLATFORM);

    assertThat(c.users().get("alice").queue()).isEqualTo("sync");
    assertThat(c.users().get("alice").args().get("dir").asText()).isEqualTo("alice");
    assertThat(c.users().get("bob").queue()).isEqualTo("mail");
  }

  @Test
  void leavesEverythingButTheQueuesAtTheirDefaults() throws IOException {
    Path file = write("errand.yaml", "queues: {q: {handler: exec}}\n");

    ServerConfig c = new ConfigLoader(Map.of()).load(file);

    assertThat(c.http()).isEqualTo(new ServerConfig.Http("127.0.0.1", 8080, null, 1_048_576));
    assertThat(c.dataDir()).isEqualTo(dir.resolve("errand-data"));
    assertThat(c.store()).isEqualTo(new Store(Store.Kind.SQLITE,
        dir.resolve("errand-data/errand.db"), "NORMAL"));
    assertThat(c.pluginsDir()).isEqualTo(dir.resolve("plugins"));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.queues().get("q").retention()).isEqualTo(Duration.ofHours(24));
    assertThat(c.supervisors()).isEmpty();
    assertThat(c.users()).isEmpty();
  }

  @Test
  void readsTheSeedsYaoTaskFileAsItIs() throws IOException {
    Path file = dir.resolve("tasks").resolve("example.yao");
    Files.createDirectories(file.getParent());
    Files.writeString(file, resource("example.yao"));

    ServerConfig c = loader.load(file);

    assertThat(c.source()).isEqualTo(file);
    assertThat(c.queues()).containsOnlyKeys("example");
    QueueConfig q = c.queues().get("example");
    assertThat(q.label()).isEqualTo("示例任务");
    assertThat(q.path()).isEmpty();
    assertThat(q.pathOf("options")).isEqualTo("options");
    assertThat(q.file()).isEqualTo(file);
    assertThat(q.handler()).isEqualTo("scripts.task.Send");
    assertThat(q.workers()).isEqualTo(10);
    assertThat(q.attempts()).isEqualTo(3);
    assertThat(q.backoff()).isEqualTo(Backoff.fixed(Duration.ofMillis(200)));
    assertThat(q.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(q.capacity()).isEqualTo(1000);
    assertThat(q.events()).containsExactly(
        Map.entry("add", "scripts.task.OnAdd"),
        Map.entry("success", "scripts.task.OnSuccess"),
        Map.entry("error", "scripts.task.OnError"),
        Map.entry("progress", "scripts.task.OnProgress"));
    assertThat(q.next()).isEqualTo("scripts.task.NextID");
    // Without a config file the server's directories are the working directory's, as with none.
    Path wd = Path.of("").toAbsolutePath();
    assertThat(c.dataDir()).isEqualTo(wd.resolve("errand-data"));
    assertThat(c.http().bind()).isEqualTo("127.0.0.1");
  }

  @Test
  void acceptsCommentsAndTrailingCommasInYaoFiles() throws IOException {
    Path file = write("mail.yao", """
        {
          // Yao files are JSON with comments
          "process": "scripts.mail.Send", /* inline */
          "worker_nums": 2,
          "attempt_after": "1s",
        }
        """);

    QueueConfig q = loader.load(file).queues().get("mail");

    assertThat(q.handler()).isEqualTo("scripts.mail.Send");
    assertThat(q.workers()).isEqualTo(2);
    assertThat(q.backoff()).isEqualTo(Backoff.fixed(Duration.ofSeconds(1)));
  }

  @Test
  void makesAQueueOfEveryTaskFileInADirectory() throws IOException {
    Path tasks = dir.resolve("tasks");
    write("tasks/example.yao", resource("example.yao"));
    write("tasks/mail/welcome.json", "{\"handler\": \"http\", \"workers\": 2}");
    write("tasks/thumbs.yaml", "handler: exec\ntimeout: 30s\n");
    write("tasks/README.md", "not a task");
    write("tasks/.hidden.yao", "not json at all");

    ServerConfig c = loader.load(tasks);

    assertThat(c.source()).isEqualTo(tasks);
    assertThat(c.queues()).containsOnlyKeys("example", "mail.welcome", "thumbs");
    assertThat(c.queues().get("mail.welcome").workers()).isEqualTo(2);
    assertThat(c.queues().get("mail.welcome").file()).isEqualTo(tasks.resolve("mail/welcome.json"));
    assertThat(c.queues().get("thumbs").timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void addsTheTasksDirectoryOfAConfigFile() throws IOException {
    write("tasks/example.yao", resource("example.yao"));
    Path file = write("conf/errand.yaml", """
        retention: 1h
        tasks: ../tasks
        queues:
          direct: {handler: exec}
        """);

    ServerConfig c = loader.load(file);

    assertThat(c.queues()).containsOnlyKeys("direct", "example");
    assertThat(c.queues().get("example").workers()).isEqualTo(10);
    assertThat(c.queues().get("example").retention()).isEqualTo(Duration.ofHours(1));
    assertThat(c.dataDir()).isEqualTo(dir.resolve("conf/errand-data"));
  }

  @Test
  void readsAJsonConfig() throws IOException {
    Path file = write("errand.json", """
        {
          "server": {"port": 0},
          "store": {"type": "memory"},
          "queues": {"q": {"handler": "exec", "worker_nums": 5,}},
        }
        """);

    ServerConfig c = loader.load(file);

    assertThat(c.http().port()).isZero();
    assertThat(c.store().kind()).isEqualTo(Store.Kind.MEMORY);
    assertThat(c.store().path()).isNull();
    assertThat(c.queues().get("q").workers()).isEqualTo(5);
  }

  @Test
  void readsSupervisorDefaults() throws IOException {
    Path file = write("errand.yaml", "supervisors: {s: {handler: exec}}\n");

    SupervisorConfig s = loader.load(file).supervisors().get("s");

    assertThat(s.restart()).isEqualTo(RestartPolicy.onFailure());
    assertThat(s.stopTimeouts()).isEqualTo(StopTimeouts.DEFAULTS);
    assertThat(s.heartbeatTimeout()).isNull();
    assertThat(s.threads()).isEqualTo(QueueSpec.Threads.VIRTUAL);
  }

  @Test
  void defaultsToADemoQueueInTheWorkingDirectory() {
    ServerConfig c = new ConfigLoader(Map.of()).defaults(dir); // no ERRAND_* variable set

    assertThat(c.source()).isNull();
    assertThat(c.http()).isEqualTo(new ServerConfig.Http("127.0.0.1", 8080, null, 1_048_576));
    assertThat(c.dataDir()).isEqualTo(dir.resolve("errand-data"));
    assertThat(c.store()).isEqualTo(new Store(Store.Kind.SQLITE,
        dir.resolve("errand-data/errand.db"), "NORMAL"));
    assertThat(c.pluginsDir()).isEqualTo(dir.resolve("plugins"));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.queues()).containsOnlyKeys("demo");
    QueueConfig demo = c.queues().get("demo");
    assertThat(demo.handler()).isEqualTo("demo");
    assertThat(demo.workers()).isEqualTo(4);
    assertThat(demo.attempts()).isEqualTo(3);
    assertThat(demo.retention()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void loadsTheExampleFileOfTheRepository() {
    Path example = Path.of("..", "errand.example.yaml");

    ServerConfig c = new ConfigLoader(Map.of()).load(example);

    assertThat(c.queues()).containsOnlyKeys("mail", "thumbnails", "sync");
    assertThat(c.queues().get("mail").timeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.queues().get("mail").label()).isEqualTo("Welcome mails");
    assertThat(c.supervisors()).containsOnlyKeys("tail-logs");
    assertThat(c.users().get("alice").queue()).isEqualTo("sync");
    assertThat(c.http().token()).isNull();
  }

  @Test
  void loadsTheFullExampleOfTheReference() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "config.md"));
    String example = doc.substring(doc.indexOf("## A full example"));
    example = example.substring(example.indexOf("```yaml\n") + 8);
    Path file = write("errand.yaml", example.substring(0, example.indexOf("```")));

    ServerConfig c = new ConfigLoader(Map.of()).load(file);

    assertThat(c.queues()).containsOnlyKeys("mail", "thumbnails", "sync");
    assertThat(c.supervisors()).containsOnlyKeys("tail-logs");
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  static String resource(String name) throws IOException {
    try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
