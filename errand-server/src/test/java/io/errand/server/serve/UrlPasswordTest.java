package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.server.ErrandCommand;
import io.errand.server.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A password written into a URL never comes back out: a user's configured args holding one are
 * refused at start-up, and a task submitted with one over HTTP keeps it nowhere (its record, the
 * API, the CLI, the server's output, the SQLite file), whatever the handler did with it.
 */
class UrlPasswordTest {
  private static final String URL = "http://tester:secret-pw@git.example/repo.git";

  @TempDir
  Path dir;

  @Test
  void aConfiguredUsersUrlWithAPasswordIsRefusedInOneLineNamingTheKey() throws Exception {
    Files.writeString(dir.resolve("errand.yaml"), """
        queues:
          sync: {handler: git-sync}
        users:
          u: {args: {url: "%s", dir: u}}
        """.formatted(URL));
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--config", "errand.yaml")) {
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(server.lines()).singleElement().asString()
          .startsWith("errand: errand.yaml: users.u.args.url: holds a password in a URL")
          .contains("credentials").doesNotContain("secret-pw");
      assertThat(dir.resolve("errand-data")).doesNotExist();
    }
  }

  @Test
  void aTasksUrlPasswordIsKeptNowhereWhateverItsHandlerDoes() throws Exception {
    Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0}
        store: {type: sqlite, path: data/errand.db}
        queues:
          leak:
            handler: exec
            options:
              command: [sh, -c, 'echo "::progress 1/2 fetching $0"; echo "$0"; echo "failed $0" >&2; exit "$1"', "{url}", "{code}"]
        """);
    List<String> seen = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--config", "errand.yaml")) {
      String base = server.awaitUrl().toString();
      Api api = new Api(server.awaitUrl());
      long ok = api.submit("leak", "{\"url\": \"" + URL + "\", \"code\": 0}");
      long failed = api.submit("leak", "{\"url\": \"" + URL + "\", \"code\": 3}");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(api.task(ok).path("status").asText()).isEqualTo("SUCCESS");
        assertThat(api.task(failed).path("status").asText()).isEqualTo("FAILURE");
      });

      seen.add(api.task(ok).toString());
      seen.add(api.task(failed).toString());
      seen.add(api.get("/api/tasks?queue=leak").body().toString());
      String status = cli("status", Long.toString(ok), "--server", base);
      assertThat(status).contains("http://tester:****@git.example/repo.git");
      seen.add(status);
      seen.add(cli("status", Long.toString(failed), "--server", base));
      seen.add(cli("list", "--json", "--server", base));
      assertThat(api.task(ok).path("args").path("url").asText())
          .isEqualTo("http://tester:****@git.example/repo.git");
      assertThat(api.task(failed).path("message").asText()).contains("failed http://tester:****@");

      server.term();
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isZero();
      seen.add(String.join("\n", server.lines()));
    }
    for (String name : List.of("errand.db", "errand.db-wal", "errand.db-shm")) {
      Path f = dir.resolve("data").resolve(name);
      if (Files.exists(f)) {
        seen.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }

    assertThat(seen).hasSizeGreaterThan(7).allSatisfy(text ->
        assertThat(text).doesNotContain("secret-pw"));
  }

  @Test
  void aSupervisedKeysUrlPasswordIsMaskedInItsAnswers() throws Exception {
    Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0}
        store: {type: memory}
        supervisors:
          watch:
            handler: exec
            options:
              command: [sh, -c, 'echo "::progress 1/2 watching $0"; exec sleep 60', "{url}"]
        """);
    ErrandServer server = ErrandServer.start(new ConfigLoader(Map.of())
        .load(dir.resolve("errand.yaml")));
    try {
      Api api = new Api(server.url());
      assertThat(api.put("/api/supervisors/watch/keys/repo", "{\"args\": {\"url\": \"" + URL
          + "\"}}").status()).isLessThan(300);
      await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/supervisors/watch/keys")
          .body().toString().contains("watching"));

      String keys = api.get("/api/supervisors/watch/keys").body().toString();
      assertThat(keys).contains("http://tester:****@git.example/repo.git")
          .doesNotContain("secret-pw");
    } finally {
      server.shutdown();
    }
  }

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = ErrandCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    int code = cl.execute(args);
    assertThat(code).as("errand %s: %s", String.join(" ", args), out).isZero();
    return out.toString();
  }
}
