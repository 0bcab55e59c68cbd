package io.errand.server.git.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.http.Fixture;
import io.errand.http.Http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * git-sync's named sync targets and batches over HTTP: list, sync one, sync many, batch status;
 * on errand-http's test fixture (its test-jar), as any plugin's routes would be tested.
 */
class SyncRoutesTest {
  private static Fixture f;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    Map<String, SyncUser> users = new LinkedHashMap<>();
    users.put("alice", user("alice", "work", "{\"url\": \"https://alice:hunter2@git.example.com/"
        + "a.git?private_token=abc123\", \"dir\": \"alice\", \"credentials\": \"gitlab\","
        + " \"api_token\": \"s3cret\"}"));
    users.put("bob", user("bob", "work", "{\"dir\": \"bob\", \"sync\": true}"));
    users.put("slow", user("slow", "work", "{\"gate\": \"slow\"}"));
    users.put("carol", user("carol", "other", "{\"dir\": \"carol\"}"));
    f = new Fixture(null, b -> b.routes(SyncRoutes.of(users)));
    http = f.http;
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static SyncUser user(String name, String queue, String args) throws Exception {
    return new SyncUser(name, queue, Http.MAPPER.readTree(args));
  }

  @Test
  void usersAreListedInOrderWithSecretsMaskedAndCredentialReferencesByName() {
    Http.Response r = http.get("/api/users");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("users")).extracting(u -> u.get("name").asText())
        .containsExactly("alice", "bob", "slow", "carol");
    JsonNode alice = r.json().get("users").get(0);
    assertThat(alice.get("queue").asText()).isEqualTo("work");
    assertThat(alice.at("/args/credentials").asText()).isEqualTo("gitlab");
    assertThat(alice.at("/args/api_token").asText()).isEqualTo("****");
    assertThat(alice.at("/args/url").asText())
        .isEqualTo("https://****@git.example.com/a.git?private_token=****");
    assertThat(r.body()).doesNotContain("hunter2", "abc123", "s3cret");
    assertThat(r.json().get("users").get(3).get("queue").asText()).isEqualTo("other");
  }

  @Test
  void syncingOneUserAddsItsTaskWithTheFlagsAndPriorityOfTheRequest() {
    Http.Response r = http.post("/api/users/bob/sync",
        "{\"sync\": false, \"force_clean\": true, \"priority\": 5}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().get("user").asText()).isEqualTo("bob");
    assertThat(r.json().get("queue").asText()).isEqualTo("work");
    assertThat(r.json().get("status").asText()).isIn("WAITING", "RUNNING", "SUCCESS");
    long id = r.json().get("id").asLong();
    assertThat(r.header("Location")).contains("/api/tasks/" + id);
    TaskInfo done = f.awaitFinished(id);
    assertThat(done.priority()).isEqualTo(5);
    assertThat(done.args()).isEqualTo(Map.of("dir", "bob", "sync", false, "force_clean", true));
  }

  @Test
  void withoutABodyTheUsersArgsAreUsedAsConfigured() {
    Http.Response r = http.send("POST", "/api/users/bob/sync", null, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    TaskInfo done = f.awaitFinished(r.json().get("id").asLong());
    assertThat(done.args()).isEqualTo(Map.of("dir", "bob", "sync", true));
    assertThat(done.priority()).isZero();
  }

  @Test
  void anUnknownUserIsA404NamingTheUsers() {
    Http.Response r = http.post("/api/users/alise/sync", "{}");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.errorCode()).isEqualTo("unknown_user");
    assertThat(r.errorMessage()).contains("'alise'", "did you mean 'alice'",
        "alice, bob, slow, carol");
  }

  @Test
  void badOverridesAreRefusedNamingTheField() {
    Http.Response wrongType = http.post("/api/users/bob/sync", "{\"force_clean\": \"yes\"}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.errorMessage()).contains("'force_clean'", "true or false");

    Http.Response unknown = http.post("/api/users/bob/sync", "{\"forceClean\": true}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.errorMessage()).contains("'forceClean'", "sync, force_clean, priority");
  }

  @Test
  void aBatchSyncIsOneGroupWhoseProgressCountsRunningTasksByTheirOwnProgress() {
    Http.Response r = http.post("/api/users/sync",
        "{\"users\": [\"bob\", \"slow\", \"bob\"], \"force_clean\": true}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    long group = r.json().get("group").asLong();
    assertThat(r.json().get("ids")).hasSize(2); // the repeated name is synced once
    assertThat(r.json().get("users")).extracting(JsonNode::asText).containsExactly("bob", "slow");
    assertThat(r.json().get("queue").asText()).isEqualTo("work");
    long slow = r.json().get("ids").get(1).asLong();
    assertThat(f.errand.get(slow).orElseThrow().args()).isEqualTo(Map.of("gate", "slow",
        "force_clean", true));

    f.awaitStatus(slow, TaskStatus.RUNNING);
    f.awaitStatus(r.json().get("ids").get(0).asLong(), TaskStatus.SUCCESS);
    f.errand.reportProgress(slow, 1, 2, "half way");
    JsonNode half = http.get("/api/batches/" + group).json();
    assertThat(half.get("group").asLong()).isEqualTo(group);
    assertThat(half.get("total").asInt()).isEqualTo(2);
    assertThat(half.get("finished").asInt()).isEqualTo(1);
    assertThat(half.get("done").asBoolean()).isFalse();
    assertThat(half.get("progress").asDouble()).isEqualTo(0.75);
    assertThat(half.at("/counts/running").asInt()).isEqualTo(1);
    assertThat(half.at("/counts/succeeded").asInt()).isEqualTo(1);
    assertThat(half.get("running")).hasSize(1);
    assertThat(half.at("/running/0/id").asLong()).isEqualTo(slow);
    assertThat(half.at("/running/0/message").asText()).isEqualTo("half way");

    f.open("slow");
    await().atMost(Duration.ofSeconds(20))
        .until(() -> http.get("/api/batches/" + group).json().get("done").asBoolean());
    JsonNode done = http.get("/api/batches/" + group).json();
    assertThat(done.get("progress").asDouble()).isEqualTo(1.0);
    assertThat(done.at("/counts/succeeded").asInt()).isEqualTo(2);
    assertThat(done.get("running")).isEmpty();
  }

  @Test
  void aBatchOfUsersOnDifferentQueuesIsRefusedSayingSo() {
    Http.Response all = http.post("/api/users/sync", "{\"users\": \"all\"}");
    assertThat(all.status()).isEqualTo(400);
    assertThat(all.errorMessage()).contains("alice (queue work)", "carol (queue other)",
        "different queues");
  }

  @Test
  void aBatchRefusesPriorityUnknownNamesAndBadLists() {
    Http.Response priority = http.post("/api/users/sync",
        "{\"users\": [\"bob\"], \"priority\": 3}");
    assertThat(priority.status()).isEqualTo(400);
    assertThat(priority.errorMessage()).contains("'priority'", "one at a time");

    Http.Response unknown = http.post("/api/users/sync", "{\"users\": [\"bob\", \"x\", \"y\"]}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorMessage()).contains("x, y");

    for (String body : new String[] {"{\"users\": []}", "{\"users\": \"some\"}",
        "{\"users\": [1]}", "{}"}) {
      Http.Response r = http.post("/api/users/sync", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.errorCode()).as(body).isEqualTo("invalid_body");
    }
  }

  @Test
  void anUnknownOrMalformedBatchIsAnError() {
    Http.Response none = http.get("/api/batches/987654321");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.errorCode()).isEqualTo("unknown_batch");

    Http.Response bad = http.get("/api/batches/abc");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorMessage()).contains("'abc'", "batch group");
  }

  @Test
  void withoutUsersTheListIsEmptyAndAllIsRefused() {
    try (Fixture bare = new Fixture(null, b -> b.routes(SyncRoutes.of(Map.of())))) {
      assertThat(bare.http.get("/api/users").json().get("users")).isEmpty();
      Http.Response r = bare.http.post("/api/users/sync", "{\"users\": \"all\"}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.errorMessage()).contains("no 'users:' section");
    }
  }

  @Test
  void aBatchSubmittedThroughTheQueueRouteHasStatusToo() {
    Http.Response r = http.post("/api/queues/other/batches", "{\"tasks\": [1, 2, 3]}");
    long group = r.json().get("group").asLong();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> http.get("/api/batches/" + group).json().get("done").asBoolean());
    ObjectNode counts = (ObjectNode) http.get("/api/batches/" + group).json().get("counts");
    assertThat(counts.get("succeeded").asInt()).isEqualTo(3);
  }
}
