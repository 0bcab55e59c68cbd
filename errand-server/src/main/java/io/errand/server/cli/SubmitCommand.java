package io.errand.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code errand submit <queue> <json-args>}: adds a task, and with --wait sees it through. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = {"Adds a task to a queue. With --wait, shows a progress bar until it ends.",
        "Exit codes: 0 added (with --wait: succeeded), 1 failed, 2 bad arguments,"
            + " 3 cancelled, 4 server unreachable, 5 unknown queue, 6 token refused."})
public final class SubmitCommand extends ClientCommand {
  private static final String EXAMPLE = "'{\"steps\": 5}'";

  @Parameters(index = "0", paramLabel = "QUEUE", description = "The queue.")
  String queue;

  @Parameters(index = "1", paramLabel = "JSON-ARGS",
      description = "The task's arguments as JSON, e.g. " + EXAMPLE + ".")
  String args;

  @Option(names = "--priority", paramLabel = "P",
      description = "Higher runs first among the queue's due tasks (default 0).")
  Integer priority;

  @Option(names = "--delay", paramLabel = "D",
      description = "Wait this long before the first attempt, e.g. 30s, 5m or 1d.")
  String delay;

  @Option(names = "--key", paramLabel = "K",
      description = "A unique key: while a task with it is live, its id is returned instead.")
  String key;

  @Option(names = "--unique-period", paramLabel = "P",
      description = "With --key: no second task with the key within P of the first's creation,"
          + " whatever its state, e.g. 1h.")
  String uniquePeriod;

  @Option(names = "--unique-states", paramLabel = "S,...",
      description = "With --key: the states that hold it, WAITING and RUNNING always, plus any"
          + " of SUCCESS, FAILURE, CANCELLED (comma-separated).")
  String uniqueStates;

  @Option(names = "--on-conflict", paramLabel = "MODE",
      description = "With --key, when it is held: return (the holder, default), replace (the"
          + " waiting holder's args) or debounce (push the waiting holder's run time).")
  String onConflict;

  @Option(names = "--wait", description = "Wait for the task to end; the exit code says how.")
  boolean await;

  @Override
  protected int run(ApiClient api) {
    ObjectNode body = ApiClient.JSON.createObjectNode();
    body.set("args", parse(args));
    if (priority != null) {
      body.put("priority", priority);
    }
    if (delay != null) {
      body.put("delay", delay);
    }
    if (key != null) {
      body.put("key", key);
    }
    if (uniquePeriod != null) {
      body.put("unique_period", uniquePeriod);
    }
    if (uniqueStates != null) {
      body.put("unique_states", uniqueStates);
    }
    if (onConflict != null) {
      body.put("on_conflict", onConflict);
    }
    String path = "/api/queues/" + ApiClient.segment(queue) + "/tasks";
    if (await) {
      JsonNode done = new TaskWatch(api, out(), Terminal.detect(), json())
          .submitAndAwait(queue, () -> api.post(path, body));
      if (json()) {
        printJson(done);
      } else {
        out().println(TaskWatch.outcome(done));
        out().flush();
      }
      return Exit.of(done.path("status").asText());
    }
    JsonNode added = api.post(path, body);
    long id = added.path("id").asLong();
    if (json()) {
      printJson(added);
    } else {
      String status = added.path("status").asText();
      String resolved = added.path("on_conflict").asText("return");
      out().println(added.path("created").asBoolean(true)
          ? "task " + id + " added to queue " + queue + " (" + status + ")"
          : "task " + id + " of queue " + queue + " already holds key " + key + " (" + status
              + "): nothing added" + switch (resolved) {
                case "replace" -> ", its arguments replaced";
                case "debounce" -> ", its run time pushed";
                default -> "";
              });
      out().flush();
    }
    return Exit.OK;
  }

  private static JsonNode parse(String text) {
    JsonNode node;
    try {
      node = ApiClient.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .readTree(text);
    } catch (JsonProcessingException e) {
      throw CliException.usage("the task's arguments are not valid JSON ("
          + Format.oneLine(e.getOriginalMessage()) + "); quote them for the shell, e.g. "
          + EXAMPLE);
    }
    if (node == null || node.isMissingNode()) {
      throw CliException.usage("the task's arguments are empty; give JSON, e.g. " + EXAMPLE
          + " or '{}'");
    }
    return node;
  }
}
