package io.errand.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.Backoff;
import io.errand.common.SubstitutedText;
import io.errand.server.config.ServerConfig.QueueConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigEnvTest {
  /** Seed 002's knobs, in its units: the time-out and retry interval in seconds. */
  private static final String SEED_002 = """
      queues:
        jobs:
          handler: exec
          workers: ${WORKERS:-4}
          timeout: ${TASK_TIMEOUT:-300}
          attempts: ${MAX_RETRIES:-3}
          retry_after: ${RETRY_INTERVAL:-60}s
      """;

  @TempDir
  Path dir;

  @Test
  void withoutAConfigFileTheServerSettingsComeFromErrandVariables() {
    ServerConfig.Http http = new ConfigLoader(Map.of("ERRAND_PORT", "9123", "ERRAND_BIND",
        "0.0.0.0", "ERRAND_TOKEN", "tok-123")).defaults(dir).http();

    assertThat(http.port()).isEqualTo(9123);
    assertThat(http.bind()).isEqualTo("0.0.0.0");
    assertThat(http.token().reveal()).isEqualTo("tok-123");
    assertThat(new ConfigLoader(Map.of()).defaults(dir).http().port()).isEqualTo(8080);
  }

  @Test
  void aTaskFileAloneListensWhereTheVariablesSay() throws IOException {
    Path file = Files.writeString(dir.resolve("mail.yao"), "{\"process\": \"demo\"}");

    assertThat(new ConfigLoader(Map.of("ERRAND_PORT", "9124")).load(file).http().port())
        .isEqualTo(9124);
  }

  @Test
  void aBadErrandVariableIsNamedWithoutItsValueWhenSecret() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ERRAND_PORT", "80000")).defaults(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessage("environment: ERRAND_PORT: must be between 0 and 65535, was 80000");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("ERRAND_BIND", "0.0.0.0")).defaults(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("environment: ERRAND_TOKEN: is required when ERRAND_BIND is"
            + " '0.0.0.0'");
  }

  @Test
  void takesTheDefaultsWhenTheVariablesAreUnset() throws IOException {
    QueueConfig q = load(SEED_002, Map.of()).queues().get("jobs");

    assertThat(q.workers()).isEqualTo(4);
    assertThat(q.timeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(q.attempts()).isEqualTo(3);
    assertThat(q.backoff()).isEqualTo(Backoff.fixed(Duration.ofSeconds(60)));
  }

  @Test
  void takesTheEnvironmentsValuesWhenSet() throws IOException {
    QueueConfig q = load(SEED_002, Map.of("WORKERS", "8", "TASK_TIMEOUT", "30",
        "MAX_RETRIES", "5", "RETRY_INTERVAL", "2")).queues().get("jobs");

    assertThat(q.workers()).isEqualTo(8);
    assertThat(q.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(q.attempts()).isEqualTo(5);
    assertThat(q.backoff()).isEqualTo(Backoff.fixed(Duration.ofSeconds(2)));
  }

  @Test
  void usesTheDefaultForAnEmptyVariableToo() throws IOException {
    QueueConfig q = load(SEED_002, Map.of("WORKERS", "")).queues().get("jobs");

    assertThat(q.workers()).isEqualTo(4);
  }

  @Test
  void replacesWithinTextAndInNestedBlocksButNotInKeys() throws IOException {
    ServerConfig c = load("""
        data_dir: ${HOME}/errand
        queues:
          q:
            handler: ${HANDLER:-exec}
            options:
              url: "https://${HOST}:${PORT:-443}/hook"
              args: ["${HOST}", "$${LITERAL}", "cost: $5"]
              ${KEY}: kept
            label: ${MISSING:-${HOST}-queue}
        """, Map.of("HOME", dir.toString(), "HOST", "example.org", "KEY", "no"));

    QueueConfig q = c.queues().get("q");
    assertThat(c.dataDir()).isEqualTo(dir.resolve("errand"));
    assertThat(q.handler()).isEqualTo("exec");
    assertThat(q.options().get("url").asText()).isEqualTo("https://example.org:443/hook");
    assertThat(q.options().get("args").get(0).asText()).isEqualTo("example.org");
    assertThat(q.options().get("args").get(1).asText()).isEqualTo("${LITERAL}");
    assertThat(q.options().get("args").get(2).asText()).isEqualTo("cost: $5");
    assertThat(q.options().get("${KEY}").asText()).isEqualTo("kept");
    assertThat(q.label()).isEqualTo("example.org-queue");
  }

  @Test
  void doesNotExpandReferencesInsideAVariablesValue() throws IOException {
    QueueConfig q = load("queues: {q: {handler: exec, label: '${A}'}}\n",
        Map.of("A", "${B}", "B", "oops")).queues().get("q");

    assertThat(q.label()).isEqualTo("${B}");
  }

  @Test
  void takesTheTokenFromTheEnvironment() throws IOException {
    ServerConfig c = load("""
        server: {bind: 0.0.0.0, token: "${ERRAND_TOKEN}"}
        queues: {q: {handler: exec}}
        """, Map.of("ERRAND_TOKEN", "t0ken"));

    assertThat(c.http().token().reveal()).isEqualTo("t0ken");
  }

  @Test
  void leavesTheTokenOutWhenItsVariableIsEmpty() throws IOException {
    ServerConfig c = load("""
        server: {token: "${ERRAND_TOKEN:-}"}
        queues: {q: {handler: exec}}
        """, Map.of());

    assertThat(c.http().token()).isNull();
  }

  @Test
  void namesTheVariableAndTheKeyWhenAVariableIsUnset() throws IOException {
    Path file = dir.resolve("errand.yaml");
    Files.writeString(file, "queues: {q: {handler: exec, options: {url: '${MAIL_URL}'}}}\n");

    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": queues.q.options.url: environment variable MAIL_URL is not set;"
            + " set it, or give a default: ${MAIL_URL:-default}");
  }

  @Test
  void refusesAnUnclosedReference() throws IOException {
    Path file = dir.resolve("errand.yaml");
    Files.writeString(file, "queues: {q: {handler: exec, label: 'a ${B'}}\n");

    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
        .hasMessage(file + ": queues.q.label: has '${' without a closing '}'; write '$${' for a"
            + " literal '${'");
  }

  @Test
  void refusesABadVariableName() throws IOException {
    Path file = dir.resolve("errand.yaml");
    Files.writeString(file, "queues: {q: {handler: exec, label: '${1X}'}}\n");

    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
        .hasMessage(file + ": queues.q.label: '${1X}' is not a variable reference; write ${NAME}"
            + " or ${NAME:-default} with NAME made of letters, digits and '_', or '$${' for a"
            + " literal '${'");
  }

  @Test
  void namesTheVariablesBehindTheTokenAndWebhookCredentialsAsSecrets() throws IOException {
    ServerConfig c = load("""
        server: {token: "${API_TOKEN:-${ERRAND_TOKEN}}"}
        queues:
          q:
            handler: exec
            label: "${LABEL}"
            events:
              error: "https://${HOOK_USER}:${HOOK_PASS}@hooks.example.com/e"
              success: "https://hooks.example.com/s?token=${HOOK_TOKEN}"
              add: "https://${HOOK_HOST}/a"
        """, Map.of("API_TOKEN", "t0ken", "ERRAND_TOKEN", "unused", "LABEL", "Jobs",
        "HOOK_USER", "u", "HOOK_PASS", "p", "HOOK_TOKEN", "ht", "HOOK_HOST", "h.example.com"));

    // The default's ERRAND_TOKEN was not read, since API_TOKEN is set.
    assertThat(c.secretEnv()).containsExactlyInAnyOrder("API_TOKEN", "HOOK_USER", "HOOK_PASS",
        "HOOK_TOKEN");
  }

  @Test
  void namesTheSecretVariablesOfATaskFileToo() throws IOException {
    Path file = dir.resolve("mail.yao");
    Files.writeString(file, """
        {"process": "exec", "event": {"error": "https://u:${PW}@hooks.example.com/e"}}
        """);

    assertThat(new ConfigLoader(Map.of("PW", "secret")).load(file).secretEnv())
        .containsExactly("PW");
  }

  @Test
  void aValueThatReadVariablesNamesThemAndIsTextAllTheSame() throws IOException {
    QueueConfig q = load("""
        queues:
          q:
            handler: exec
            options:
              env: {A: "${X}-${Y:-${Z:-}}", B: plain, C: "$${NOT}"}
              list: ["${X}", {deep: "${W}"}]
        """, Map.of("X", "x", "W", "w")).queues().get("q");

    assertThat(q.options().get("env").get("A")).isInstanceOfSatisfying(SubstitutedText.class,
        t -> assertThat(t.variables()).containsExactly("X", "Y", "Z"));
    assertThat(q.options().get("env").get("A").asText()).isEqualTo("x-");
    assertThat(q.options().get("env").get("A"))
        .isEqualTo(com.fasterxml.jackson.databind.node.TextNode.valueOf("x-"));
    assertThat(SubstitutedText.variablesIn(q.options().get("env").get("B"))).isEmpty();
    assertThat(SubstitutedText.variablesIn(q.options().get("env").get("C"))).isEmpty();
    assertThat(SubstitutedText.variablesIn(q.options().get("list")))
        .containsExactlyInAnyOrder("X", "W");
  }

  @Test
  void showsAWrongNumberButNeverAWrongToken() throws IOException {
    Path file = dir.resolve("errand.yaml");
    Files.writeString(file, "queues: {q: {handler: exec, workers: '${W}'}}\n");

    assertThatThrownBy(() -> new ConfigLoader(Map.of("W", "many")).load(file))
        .hasMessage(file + ": queues.q.workers: must be a whole number between 1 and 100000,"
            + " was 'many'");
    // A token's value, unlike a number's, stays out of the message even when it is wrong.
    Files.writeString(file, "server: {token: '${T}'}\nqueues: {q: {handler: exec}}\n");
    assertThatThrownBy(() -> new ConfigLoader(Map.of("T", "abc def")).load(file))
        .hasMessage(file + ": server.token: must not contain spaces or control characters,"
            + " since it is sent in an Authorization header")
        .message().doesNotContain("abc");
  }

  private ServerConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("errand.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(env).load(file);
  }
}
