package io.errand.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000 end to end: a real git repository on disk, a server whose config names two users,
 * and {@code errand sync} cloning and pulling their checkouts. The tests run in order, as an
 * operator's day would: one user first, then everyone, then a pull of a new commit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliSyncTest {
  @TempDir
  static Path dir;
  static Path workspace;
  static CliServer server;

  @BeforeAll
  static void serve() throws IOException {
    sh("git init --quiet --bare --initial-branch=main upstream.git"
        + " && git init --quiet --initial-branch=main work"
        + " && cd work && git remote add origin ../upstream.git"
        + " && echo hello > README && git add README && git commit --quiet -m first"
        + " && git push --quiet origin main");
    workspace = dir.resolve("ws");
    String url = "file://" + dir.resolve("upstream.git");
    server = CliServer.start(dir, """
        server: {port: 0}
        store: {type: memory}
        queues:
          repos: {handler: git-sync, workers: 2, options: {workspace: %s}}
          demo:  {handler: demo}
        users:
          alice: {args: {url: "%s", dir: alice, branch: main}}
          bob:   {args: {url: "%s", dir: team/bob, branch: main}}
        """.formatted(workspace, url, url), null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Runs {@code script} with bash in the test's directory; fails the test if it fails. */
  static String sh(String script) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-ec", script).directory(dir.toFile())
        .redirectErrorStream(true);
    pb.environment().putAll(Map.of("GIT_AUTHOR_NAME", "Ada", "GIT_AUTHOR_EMAIL",
        "ada@example.com", "GIT_COMMITTER_NAME", "Ada", "GIT_COMMITTER_EMAIL",
        "ada@example.com"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      assertThat(p.waitFor()).as("%s: %s", script, out).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return out;
  }

  private static String upstreamHead() throws IOException {
    return sh("git -C work rev-parse HEAD");
  }

  private static String checkoutHead(String name) throws IOException {
    return sh("git -C '" + workspace.resolve(name) + "' rev-parse HEAD");
  }

  private static Cli.Result errand(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--server";
    all[args.length + 1] = server.url();
    return Cli.run(all);
  }

  @Test
  @Order(1)
  void usersListsTheConfiguredTargets() {
    Cli.Result r = errand("users");
    assertThat(r.code()).isZero();
    assertThat(r.out()).containsPattern("(?m)^USER +QUEUE +ARGS$")
        .containsPattern("(?m)^alice +repos +\\{\"url\":\"file://.*\"dir\":\"alice\"")
        .containsPattern("(?m)^bob +repos +.*\"dir\":\"team/bob\"");
  }

  @Test
  @Order(2)
  void syncOfOneUserClonesTheRepositoryAndWaitsForIt() throws IOException {
    Cli.Result r = errand("sync", "alice", "--wait");
    assertThat(r.code()).as(r.toString()).isZero();
    String head = upstreamHead();
    assertThat(r.out()).containsPattern("(?m)^alice: cloned main at " + head.substring(0, 12)
        + " \\(no directory yet\\), task \\d+$");
    assertThat(checkoutHead("alice")).isEqualTo(head);
    assertThat(workspace.resolve("alice/README")).hasContent("hello");
  }

  @Test
  @Order(3)
  void syncOfAnUnknownUserIsNotFound() {
    Cli.Result r = errand("sync", "alise");
    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err()).isEqualTo("errand: there is no user 'alise' (did you mean 'alice'?);"
        + " the users are alice, bob\n");
  }

  @Test
  @Order(4)
  void syncAllIsOneBatchThatSyncsEveryUser() throws IOException {
    Cli.Result r = errand("sync", "--all", "--wait");
    assertThat(r.code()).as(r.toString()).isZero();
    String head = upstreamHead();
    assertThat(r.out()).containsPattern("(?m)^batch \\d+ \\[#+\\] 100%  2/2 done: 2 ok$")
        // alice's checkout is fresh, so seed 000's rule 4 skips it; bob has none yet
        .containsPattern("(?m)^  alice: skipped main at " + head.substring(0, 12)
            + " \\(updated .* ago; stale after 60 min\\), task \\d+$")
        .containsPattern("(?m)^  bob: cloned main at " + head.substring(0, 12)
            + " \\(no directory yet\\), task \\d+$");
    assertThat(checkoutHead("alice")).isEqualTo(head);
    assertThat(checkoutHead("team/bob")).isEqualTo(head);
    assertThat(r.out().lines().filter(l -> l.startsWith("batch ")).map(l -> l.split(" ")[1])
        .distinct()).as("one batch").hasSize(1);
  }

  @Test
  @Order(5)
  void syncOfSeveralUsersWithoutWaitingNamesTheBatchAndItsTasks() throws Exception {
    Cli.Result r = errand("sync", "alice", "bob", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode added = ApiClient.JSON.readTree(r.out());
    long group = added.get("group").asLong();
    assertThat(added.get("users")).extracting(JsonNode::asText).containsExactly("alice", "bob");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
        server.api("GET", "/api/batches/" + group, null).get("done").asBoolean());
    assertThat(server.api("GET", "/api/batches/" + group, null).get("total").asInt())
        .isEqualTo(2);
  }

  @Test
  @Order(6)
  void aNewCommitIsPulledWhenAsked() throws Exception {
    sh("cd work && echo again >> README && git commit --quiet -am second"
        + " && git push --quiet origin main");
    String head = upstreamHead();
    // As an operator runs it: a child process, the server from the environment.
    Cli.Result r = CliProcess.start(dir, Map.of("ERRAND_SERVER", server.url()), "sync",
        "alice", "--pull", "--wait").await(Duration.ofSeconds(60));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("alice: pulled main at " + head.substring(0, 12)
        + " (sync is true)");
    assertThat(checkoutHead("alice")).isEqualTo(head);
  }

  @Test
  @Order(7)
  void forceCleanReclonesTheCheckout() throws Exception {
    Files.writeString(workspace.resolve("alice/untracked.txt"), "left behind");
    Cli.Result r = errand("sync", "alice", "--force-clean", "--wait");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("alice: recloned main");
    assertThat(workspace.resolve("alice/untracked.txt")).doesNotExist();
  }
}
