package io.errand.server.handler;

import static io.errand.server.handler.Handlers.done;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskHandler;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.common.Redaction;
import io.errand.server.config.ConfigLoader;
import io.errand.server.config.ServerConfig.QueueConfig;
import io.errand.server.config.ServerConfig;
import io.errand.server.git.GitSyncHandlerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an exec program gets of the server's environment: real programs ({@code env}, {@code sh})
 * started from a server environment of the test's making that holds secrets.
 */
class ExecEnvTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TOKEN = "tok-5f2a9c41e7";
  private static final List<String> TASK_VARIABLES =
      List.of("ERRAND_TASK_ID", "ERRAND_ATTEMPT", "ERRAND_QUEUE");

  @TempDir
  Path tmp;
  private Errand errand;

  @AfterEach
  void stop() {
    if (errand != null) {
      errand.shutdown(Duration.ofSeconds(10));
    }
  }

  /** A server environment: a few ordinary variables and the API token. */
  private static Map<String, String> serverEnv(String... more) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", "/home/errand-test");
    env.put("LANG", "C.UTF-8");
    env.put("ERRAND_TOKEN", TOKEN);
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private Errand run(TaskHandler<Object, Object> handler) {
    errand = Errand.builder().queue(QueueSpec.builder(Handlers.QUEUE, Object.class, handler)
        .backoff(Backoff.fixed(Duration.ofMillis(10))).build()).build();
    return errand;
  }

  private TaskHandler<Object, Object> exec(Map<String, String> env, SecretEnv secrets,
      Map<String, ?> options) {
    return new ExecHandlerFactory(env).create(new HandlerSettings(Handlers.QUEUE,
        "queues.q.options", MAPPER.valueToTree(options), tmp, secrets));
  }

  /** Runs {@code env} once and returns the environment it printed. */
  private Map<String, String> childEnv(TaskHandler<Object, Object> handler) throws Exception {
    run(handler);
    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));
    assertThat(t.status()).as("%s", t.errors()).isEqualTo(TaskStatus.SUCCESS);
    Map<String, String> out = new TreeMap<>();
    String stdout = (String) ((Map<?, ?>) t.response()).get("stdout");
    for (String line : stdout.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return out;
  }

  @Test
  void theServersTokenDoesNotReachTheProgramButTheRestOfItsEnvironmentDoes() throws Exception {
    run(exec(serverEnv(), new SecretEnv(), Map.of("command", List.of("sh", "-c",
        "echo \"token=[$ERRAND_TOKEN] home=[$HOME] lang=[$LANG]\""))));

    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    assertThat(t.response()).isEqualTo(Map.of("exit_code", 0, "stdout",
        "token=[] home=[/home/errand-test] lang=[C.UTF-8]"));
  }

  @Test
  void noVariableTheServerCountsAsSecretIsInheritedNotEvenOneCountedAfterTheStart()
      throws Exception {
    SecretEnv secrets = new SecretEnv(List.of("HOOK_KEY"));
    TaskHandler<Object, Object> handler = exec(serverEnv("HOOK_KEY", "hk-0b7d3e", "LATE",
        "late-91c2e", "OTHER", "other-value"), secrets, Map.of("command", List.of("env")));
    // A handler created after this one (an http queue further down the file) adds its own.
    secrets.add("LATE");

    Map<String, String> child = childEnv(handler);

    assertThat(child).doesNotContainKeys("ERRAND_TOKEN", "HOOK_KEY", "LATE")
        .containsEntry("OTHER", "other-value").containsEntry("HOME", "/home/errand-test")
        .containsKeys("PATH", "LANG").containsKeys(TASK_VARIABLES.toArray(String[]::new));
    assertThat(String.join("\n", child.values())).doesNotContain(TOKEN, "hk-0b7d3e",
        "late-91c2e");
  }

  @Test
  void inheritEnvFalsePassesNothingButEnvAndTheTasksOwnVariables() throws Exception {
    Map<String, String> child = childEnv(exec(serverEnv(), new SecretEnv(), Map.of(
        "command", List.of("env"), "inherit_env", false, "env", Map.of("GREETING", "hi"))));

    assertThat(child.keySet()).containsExactlyInAnyOrder("GREETING", "ERRAND_TASK_ID",
        "ERRAND_ATTEMPT", "ERRAND_QUEUE");
    assertThat(child).containsEntry("GREETING", "hi").containsEntry("ERRAND_QUEUE", "q");
  }

  @Test
  void anAllowListPassesNamesAndPrefixesButAPrefixNeverASecret() throws Exception {
    Map<String, String> env = serverEnv("LC_TIME", "C", "LC_ALL", "C.UTF-8", "ERRAND_HOME",
        "/srv/errand", "ERRAND_DB_PASSWORD", "pw-3e8f1a", "AWS_SECRET_ACCESS_KEY", "aws-77");
    SecretEnv secrets = new SecretEnv(List.of("ERRAND_DB_PASSWORD"));

    Map<String, String> child = childEnv(exec(env, secrets, Map.of("command", List.of("env"),
        "inherit_env", List.of("PATH", "HOME", "LC_*", "ERRAND_*"))));

    assertThat(child.keySet()).containsExactlyInAnyOrder("PATH", "HOME", "LC_TIME", "LC_ALL",
        "ERRAND_HOME", "ERRAND_TASK_ID", "ERRAND_ATTEMPT", "ERRAND_QUEUE");
    assertThat(child).containsEntry("ERRAND_HOME", "/srv/errand");
  }

  @Test
  void aSecretNamedInTheAllowListIsPassedOnPurposeAndMaskedInWhatTheTaskRecords()
      throws Exception {
    run(exec(serverEnv(), new SecretEnv(), Map.of("inherit_env", List.of("PATH",
        "ERRAND_TOKEN"), "command", List.of("sh", "-c", "printf %s \"$ERRAND_TOKEN\" > got;"
        + " echo \"bad token $ERRAND_TOKEN\" >&2; exit 3"), "dir", tmp.toString())));

    TaskInfo t = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    assertThat(Files.readString(tmp.resolve("got"))).isEqualTo(TOKEN); // the program had it
    assertThat(t.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(t.errors().get(0).message())
        .isEqualTo("exit code 3; stderr:\nbad token " + Redaction.MASK);
  }

  @Test
  void aSecretEnvValueReachesTheProgramButNotTheResultProgressOrError() throws Exception {
    String pw = "hunter2-pw-a81c";
    Map<String, Object> env = Map.of("DB_PASSWORD", Map.of("secret", pw), "DB_USER", "app");
    run(exec(serverEnv(), new SecretEnv(), Map.of("env", env, "dir", tmp.toString(),
        "command", List.of("sh", "-c", "printf %s \"$DB_PASSWORD\" > got;"
            + " echo \"user=$DB_USER pw=$DB_PASSWORD\"; echo \"::progress 50% pw $DB_PASSWORD\""
        ))));

    TaskInfo ok = done(errand, errand.submit(Handlers.QUEUE, Map.of()));

    assertThat(Files.readString(tmp.resolve("got"))).isEqualTo(pw);
    assertThat(ok.response()).isEqualTo(Map.of("exit_code", 0, "stdout",
        "user=app pw=" + Redaction.MASK));
    assertThat(ok.message()).isEqualTo("pw " + Redaction.MASK);
  }

  @Test
  void aSecretIsMaskedInAResultLineKeysIncludedAndInABadOne() throws Exception {
    String pw = "hunter2-pw-a81c";
    run(exec(serverEnv(), new SecretEnv(), Map.of("env", Map.of("PW", Map.of("secret", pw)),
        "command", List.of("sh", "-c", "if [ \"$1\" = good ]; then"
            + " echo \"::result {\\\"pw\\\": \\\"$PW\\\", \\\"$PW\\\": [\\\"x$PW\\\"]}\"; else"
            + " echo \"::result {pw: $PW\"; fi", "sh", "{which}"))));

    TaskInfo good = done(errand, errand.submit(Handlers.QUEUE, Map.of("which", "good")));
    TaskInfo bad = done(errand, errand.submit(Handlers.QUEUE, Map.of("which", "bad")));

    assertThat(good.response()).isEqualTo(Map.of("pw", Redaction.MASK, Redaction.MASK,
        List.of("x" + Redaction.MASK)));
    assertThat(bad.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(bad.errors().get(0).message()).isEqualTo("the program's ::result line is not"
        + " one JSON value: '{pw: " + Redaction.MASK + "'");
  }

  /**
   * The whole chain as the server builds it: a config file read with ${VAR} from an environment,
   * the handlers of its queues made with one shared {@link SecretEnv}, and an exec program that
   * prints what it got.
   */
  @Test
  void variablesTheConfigResolvedIntoSecretsAreKeptFromTheProgram() throws Exception {
    Map<String, String> env = serverEnv("API_TOKEN", "api-3c1f08", "HOOK_USER", "hook-user",
        "HOOK_PASS", "hook-pass-7e", "HOOK_HOST", "127.0.0.1", "HEADER_KEY", "hk-44d1c0",
        "GIT_TOKEN", "git-0c9e1b", "DB_PASSWORD", "db-pw-58ab", "BUILD", "build-17",
        "NOTIFY_HOST", "notify.example.com",
        "MAIL_TO", "ops@example.com");
    Path file = tmp.resolve("errand.yaml");
    Files.writeString(file, """
        server: {token: "${API_TOKEN}"}
        queues:
          run:
            handler: exec
            options:
              command: [env]
              env:
                DB_PASSWORD: {secret: "${DB_PASSWORD}"}
                CALLBACK_TOKEN: "${ERRAND_TOKEN}"
                BUILD_ID: "b-${BUILD}"
            events:
              error: "https://${HOOK_USER}:${HOOK_PASS}@${HOOK_HOST}/hook"
              success: "https://${HOOK_HOST}/hook?to=${MAIL_TO}"
          notify:
            handler: http
            options:
              url: "https://${NOTIFY_HOST}/notify"
              headers: {X-Api-Key: "${HEADER_KEY}"}
          sync:
            handler: git-sync
            options:
              workspace: ws
              credentials: {gitlab: {env: GIT_TOKEN}}
        """);
    ServerConfig config = new ConfigLoader(env).load(file);
    SecretEnv secrets = new SecretEnv(config.secretEnv());
    // In the file's order, as the server does: the exec queue is made before the others mark.
    TaskHandler<Object, Object> run = new ExecHandlerFactory(env).create(settings(config, "run",
        secrets));
    new HttpHandlerFactory().create(settings(config, "notify", secrets));
    new GitSyncHandlerFactory().create(settings(config, "sync", secrets));

    Map<String, String> child = childEnv(run);

    // HOOK_HOST is part of a URL with credentials: counted as a secret too, to be safe.
    assertThat(secrets.names()).containsExactlyInAnyOrder("ERRAND_TOKEN", "API_TOKEN",
        "HOOK_USER", "HOOK_PASS", "HOOK_HOST", "HEADER_KEY", "GIT_TOKEN", "DB_PASSWORD");
    assertThat(child).doesNotContainKeys("ERRAND_TOKEN", "API_TOKEN", "HOOK_USER", "HOOK_PASS",
        "HOOK_HOST", "HEADER_KEY", "GIT_TOKEN")
        .containsEntry("BUILD", "build-17").containsEntry("MAIL_TO", "ops@example.com")
        .containsEntry("NOTIFY_HOST", "notify.example.com")
        .containsEntry("BUILD_ID", "b-build-17")
        // Given on purpose through env, and masked in what the task records:
        .containsEntry("DB_PASSWORD", Redaction.MASK)
        .containsEntry("CALLBACK_TOKEN", Redaction.MASK);
  }

  private HandlerSettings settings(ServerConfig config, String queue, SecretEnv secrets) {
    QueueConfig q = config.queues().get(queue);
    return new HandlerSettings(q.name(), q.pathOf("options"), q.options(), tmp, secrets);
  }
}
