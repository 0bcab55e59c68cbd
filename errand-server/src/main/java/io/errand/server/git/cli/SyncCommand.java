package io.errand.server.git.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.server.cli.ApiClient;
import io.errand.server.cli.BatchWatch;
import io.errand.server.cli.CliException;
import io.errand.server.cli.ClientCommand;
import io.errand.server.cli.Exit;
import io.errand.server.cli.Format;
import io.errand.server.cli.TaskWatch;
import io.errand.server.cli.Terminal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code errand sync <user>...}: syncs the named users' repositories (seed 000). */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {"Syncs users' repositories, as the server's config names them (its users:"
        + " section; 'errand users' lists them). One user is one task; several users, or --all,"
        + " are one batch with an aggregate progress.",
        "Exit codes: 0 added (with --wait: every sync succeeded), 1 a sync failed, 2 bad"
            + " arguments, 3 a sync was cancelled (and none failed), 4 server unreachable,"
            + " 5 unknown user, 6 token refused."})
public final class SyncCommand extends ClientCommand {
  @Parameters(paramLabel = "USER", arity = "0..*", description = "The users to sync.")
  List<String> users = new ArrayList<>();

  @Option(names = "--all", description = "Sync every user of the server's config, as one batch.")
  boolean all;

  @Option(names = "--force-clean",
      description = "Delete each checkout and clone it afresh (sets force_clean).")
  boolean forceClean;

  @Option(names = "--pull",
      description = "Pull even when a checkout was updated recently (sets sync to true).")
  boolean pull;

  @Option(names = "--priority", paramLabel = "P",
      description = "The task's priority; one user only (a batch runs at priority 0).")
  Integer priority;

  @Option(names = "--wait", description = "Wait until every sync ended; the exit code says how.")
  boolean await;

  @Override
  protected int run(ApiClient api) {
    if (all == !users.isEmpty()) {
      throw CliException.usage(all ? "give user names or --all, not both"
          : "name the users to sync, or give --all ('errand users' lists them)");
    }
    ObjectNode body = ApiClient.JSON.createObjectNode();
    if (forceClean) {
      body.put("force_clean", true);
    }
    if (pull) {
      body.put("sync", true);
    }
    if (priority != null) {
      body.put("priority", priority); // for several users, the server says why it cannot be
    }
    return !all && users.size() == 1 ? one(api, users.get(0), body) : many(api, body);
  }

  private int one(ApiClient api, String user, ObjectNode body) {
    JsonNode added = api.post("/api/users/" + ApiClient.segment(user) + "/sync", body);
    long id = added.path("id").asLong();
    if (!await) {
      if (json()) {
        printJson(added);
      } else {
        say(user + ": task " + id + " on queue " + added.path("queue").asText() + " ("
            + added.path("status").asText() + ")");
      }
      return Exit.OK;
    }
    JsonNode done = new TaskWatch(api, out(), Terminal.detect(), json()).await(id);
    if (json()) {
      printJson(done);
    } else {
      say(outcome(user, done));
    }
    return Exit.of(done.path("status").asText());
  }

  private int many(ApiClient api, ObjectNode body) {
    if (all) {
      body.put("users", "all");
    } else {
      ArrayNode names = body.putArray("users");
      users.forEach(names::add);
    }
    JsonNode added = api.post("/api/users/sync", body);
    long group = added.path("group").asLong();
    Map<Long, String> names = new LinkedHashMap<>();
    for (int i = 0; i < added.path("ids").size(); i++) {
      names.put(added.path("ids").get(i).asLong(), added.path("users").get(i).asText());
    }
    if (!await) {
      if (json()) {
        printJson(added);
      } else {
        say("batch " + group + ": " + names.size() + " syncs on queue "
            + added.path("queue").asText() + " (errand list --queue "
            + added.path("queue").asText() + " shows them)");
        names.forEach((id, name) -> say("  " + name + ": task " + id));
      }
      return Exit.OK;
    }
    JsonNode batch = new BatchWatch(api, out(), Terminal.detect(), json()).await(group, names);
    List<JsonNode> tasks = new ArrayList<>();
    names.keySet().forEach(id -> tasks.add(api.get("/api/tasks/" + id)));
    if (json()) {
      ObjectNode result = ApiClient.JSON.createObjectNode();
      result.set("batch", batch);
      result.putArray("tasks").addAll(tasks);
      printJson(result);
    } else {
      tasks.forEach(t -> say("  " + outcome(names.get(t.path("id").asLong()), t)));
    }
    return worst(tasks);
  }

  /** 1 if any sync failed, else 3 if any was cancelled, else 0. */
  private static int worst(List<JsonNode> tasks) {
    int code = Exit.OK;
    for (JsonNode t : tasks) {
      int c = Exit.of(t.path("status").asText());
      if (c == Exit.FAILED) {
        return Exit.FAILED;
      }
      code = Math.max(code, c);
    }
    return code;
  }

  /**
   * How a user's sync ended. git-sync's result ({@code action}, {@code branch}, {@code commit},
   * {@code reason}) reads as a sentence; any other queue's result as {@link TaskWatch} says.
   */
  private static String outcome(String user, JsonNode t) {
    JsonNode r = t.path("response");
    if (t.path("status").asText().equals("SUCCESS") && r.path("action").isTextual()) {
      String hash = r.path("commit").asText("");
      String commit = hash.isEmpty() ? "" : " at " + hash.substring(0, Math.min(12, hash.length()));
      String branch = r.path("branch").isTextual() ? " " + r.path("branch").asText() : "";
      return user + ": " + r.path("action").asText() + branch + commit + " ("
          + Format.text(r, "reason") + "), task " + t.path("id").asLong();
    }
    return user + ": " + TaskWatch.outcome(t);
  }

  private void say(String line) {
    out().println(line);
    out().flush();
  }
}
