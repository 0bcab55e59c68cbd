package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code errand serve} started as an operator starts it, with its token and a header key in its
 * environment: the programs of its exec queues do not get them unless the config hands them over.
 */
class ExecEnvProcessTest {
  private static final String TOKEN = "e2e-token-6b1f0a93";
  private static final String HOOK_KEY = "e2e-hook-key-2c7d";

  @TempDir
  Path dir;

  @Test
  void theServersSecretsStayOutOfExecProgramsAndTheirRecords() throws Exception {
    Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0, token: "${ERRAND_TOKEN}"}
        store: {type: memory}
        queues:
          show:
            handler: exec
            options:
              command: [sh, -c, 'echo "token=[$ERRAND_TOKEN] key=[$HOOK_KEY] keep=[$KEEP_ME]"']
          listed:
            handler: exec
            options:
              inherit_env: [PATH]
              env: {CALLBACK_TOKEN: "${ERRAND_TOKEN}"}
              command: [sh, -c, 'printf %s "$CALLBACK_TOKEN" > got; echo "keep=[$KEEP_ME] callback=[$CALLBACK_TOKEN]"']
          notify:
            handler: http
            options:
              url: http://127.0.0.1:9/never-called
              headers: {X-Key: "${HOOK_KEY}"}
        """);
    Map<String, String> env = Map.of("ERRAND_TOKEN", TOKEN, "HOOK_KEY", HOOK_KEY,
        "KEEP_ME", "kept");
    try (ServerProcess server = ServerProcess.start(dir, env, "serve", "--config",
        "errand.yaml")) {
      Api api = new Api(server.awaitUrl(), TOKEN);

      JsonNode show = finished(api, api.submit("show", "{}"));
      JsonNode listed = finished(api, api.submit("listed", "{}"));

      assertThat(show.path("response").path("stdout").asText())
          .isEqualTo("token=[] key=[] keep=[kept]");
      // Handed over on purpose: the program has it, the task record shows it masked.
      assertThat(Files.readString(dir.resolve("got"))).isEqualTo(TOKEN);
      assertThat(listed.path("response").path("stdout").asText())
          .isEqualTo("keep=[] callback=[****]");
      assertThat(show.toString() + listed).doesNotContain(TOKEN, HOOK_KEY);
      server.term();
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(String.join("\n", server.lines())).doesNotContain(TOKEN, HOOK_KEY);
    }
  }

  private static JsonNode finished(Api api, long id) {
    await().atMost(Duration.ofSeconds(30))
        .until(() -> api.task(id).path("status").asText().equals("SUCCESS")
            || api.task(id).path("status").asText().equals("FAILURE"));
    JsonNode t = api.task(id);
    assertThat(t.path("status").asText()).as("%s", t).isEqualTo("SUCCESS");
    return t;
  }
}
