package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keyed supervisors over HTTP: put, get, list, pause, resume, replace, remove. */
class ApiSupervisorsTest {
  private Fixture f;
  private Http http;

  @BeforeEach
  void start() {
    f = new Fixture();
    http = f.http;
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void aKeyGoesThroughItsWholeLifeOverHttp() {
    String path = "/api/supervisors/accounts/keys/acme";
    Http.Response put = http.put(path, "{\"args\": {\"account\": \"acme\"}}");
    assertThat(put.status()).isEqualTo(200);
    JsonNode k = put.json();
    assertThat(k.fieldNames()).toIterable().containsExactly("supervisor", "key", "state", "live",
        "args", "since", "restarts", "last_error", "restart_at", "message");
    assertThat(k.get("supervisor").asText()).isEqualTo("accounts");
    assertThat(k.get("key").asText()).isEqualTo("acme");
    assertThat(k.get("state").asText()).isIn("STARTING", "RUNNING");
    assertThat(k.get("args").get("account").asText()).isEqualTo("acme");

    await().atMost(Duration.ofSeconds(20))
        .until(() -> http.get(path).json().get("state").asText().equals("RUNNING"));
    assertThat(http.get(path).json().get("live").asBoolean()).isTrue();

    http.put("/api/supervisors/accounts/keys/beta", "{\"args\": 2}");
    Http.Response keys = http.get("/api/supervisors/accounts/keys");
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.json().get("keys")).extracting(n -> n.get("key").asText())
        .containsExactly("acme", "beta");

    Http.Response sups = http.get("/api/supervisors");
    assertThat(sups.status()).isEqualTo(200);
    JsonNode s = sups.json().get("supervisors").get(0);
    assertThat(s.get("name").asText()).isEqualTo("accounts");
    assertThat(s.get("keys").asInt()).isEqualTo(2);

    Http.Response paused = http.post(path + "/pause", "");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.json().get("state").asText()).isEqualTo("PAUSED");
    assertThat(paused.json().get("live").asBoolean()).isFalse();

    Http.Response resumed = http.post(path + "/resume", "");
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().get("state").asText()).isIn("STARTING", "RUNNING");

    Http.Response replaced = http.put(path, "{\"args\": {\"account\": \"acme2\"}}");
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().get("args").get("account").asText()).isEqualTo("acme2");

    Http.Response restarted = http.put(path, "{\"args\": {\"account\": \"acme2\"},"
        + " \"restart\": true}");
    assertThat(restarted.status()).isEqualTo(200);
    assertThat(restarted.json().get("state").asText()).isIn("STARTING", "RUNNING");

    assertThat(http.delete(path).status()).isEqualTo(204);
    expectError(http.get(path), 404, "unknown_key", "supervisor 'accounts' has no key 'acme'");
    expectError(http.delete(path), 404, "unknown_key", "'acme'");
  }

  @Test
  void keysAreDecodedFromThePath() {
    Http.Response put = http.put("/api/supervisors/accounts/keys/eu%2Fwest%201", "{\"args\": 1}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get("key").asText()).isEqualTo("eu/west 1");
    assertThat(http.get("/api/supervisors/accounts/keys/eu%2Fwest%201").status()).isEqualTo(200);
    assertThat(http.delete("/api/supervisors/accounts/keys/eu%2Fwest%201").status())
        .isEqualTo(204);
  }

  @Test
  void unknownSupervisorsKeysAndBadBodiesAreRefused() {
    expectError(http.get("/api/supervisors/nope/keys"), 404, "unknown_supervisor",
        "there is no supervisor 'nope'; the supervisors are accounts");
    expectError(http.put("/api/supervisors/nope/keys/a", "{\"args\": 1}"), 404,
        "unknown_supervisor", "'nope'");
    expectError(http.get("/api/supervisors/accounts/keys/missing"), 404, "unknown_key",
        "'missing'");
    expectError(http.post("/api/supervisors/accounts/keys/missing/pause", ""), 404,
        "unknown_key", "'missing'");
    expectError(http.post("/api/supervisors/accounts/keys/missing/resume", ""), 404,
        "unknown_key", "'missing'");
    expectError(http.put("/api/supervisors/accounts/keys/a", "{}"), 400, "invalid_body",
        "field 'args' is missing");
    expectError(http.put("/api/supervisors/accounts/keys/a", "{\"args\": 1, \"restart\": 1}"),
        400, "invalid_body", "field 'restart' must be true or false");
    expectError(http.put("/api/supervisors/accounts/keys/a", "{\"arg\": 1}"), 400,
        "invalid_body", "the fields are args, restart");
    expectError(http.put("/api/supervisors/accounts/keys/a", "nope"), 400, "malformed_json",
        "not valid JSON");
  }

  @Test
  void restartStartsAFailedKeyAgainWithItsOwnUnmaskedArguments() {
    String path = "/api/supervisors/accounts/keys/crashy";
    String url = "https://bot:hunter2@git.example/acme.git";
    assertThat(http.put(path, "{\"args\": {\"fail\": true, \"url\": \"" + url + "\"}}")
        .status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> http.get(path).json().get("state").asText().equals("FAILED"));
    assertThat(http.get(path).json().at("/args/url").asText()).as("shown masked")
        .doesNotContain("hunter2");

    Http.Response restarted = http.post(path + "/restart", "");

    assertThat(restarted.status()).as(restarted.toString()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> http.get(path).json().get("state").asText().equals("RUNNING"));
    assertThat(f.errand.supervisor("accounts").status("crashy").orElseThrow().args())
        .as("the key keeps its real arguments").isEqualTo(java.util.Map.of("fail", true,
            "url", url));

    expectError(http.post("/api/supervisors/accounts/keys/nope/restart", ""), 404,
        "unknown_key", "'nope'");
    expectError(http.post("/api/supervisors/nope/keys/crashy/restart", ""), 404,
        "unknown_supervisor", "'nope'");
  }
}
