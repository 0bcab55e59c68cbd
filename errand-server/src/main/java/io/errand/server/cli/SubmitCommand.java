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
          + " waiting holder's args) or debounce (push the waiting holder's run time, if later).")
  String onConflict;

  @Option(names = "--batch", description = "JSON-ARGS is an array: add one task per element, as"
      + " one batch (no --delay, --key or --priority).")
  boolean batch;

  @Option(names = "--callback", paramLabel = "QUEUE",
      description = "With --batch: a task of QUEUE to run once the batch ends (fan-in).")
  String callback;

  @Option(names = "--callback-args", paramLabel = "JSON",
      description = "With --callback: its arguments (default null).")
  String callbackArgs;

  @Option(names = "--callback-on", paramLabel = "WHEN",
      description = "With --callback: success (default: runs only if every task succeeded,"
          + " else it is cancelled) or end (runs whatever they did).")
  String callbackOn;

  @Option(names = "--wait", description = "Wait for the task to end; the exit code says how.")
  boolean await;

  @Override
  protected int run(ApiClient api) {
    if (batch) {
      return submitBatch(api);
    }
    if (callback != null || callbackArgs != null || callbackOn != null) {
      throw CliException.usage("--callback, --callback-args and --callback-on go with --batch");
    }
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

  /** {@code --batch}: one batch, with its callback if asked; prints the group and the ids. */
  private int submitBatch(ApiClient api) {
    if (delay != null || key != null || priority != null || uniquePeriod != null
        || uniqueStates != null || onConflict != null || await) {
      throw CliException.usage("--batch takes no --delay, --key, --priority, --unique-*, "
          + "--on-conflict or --wait");
    }
    JsonNode tasks = parse(args);
    if (!tasks.isArray() || tasks.isEmpty()) {
      throw CliException.usage("with --batch, JSON-ARGS must be a non-empty array of the "
          + "tasks' arguments, e.g. '[{\"n\": 1}, {\"n\": 2}]'");
    }
    ObjectNode body = ApiClient.JSON.createObjectNode();
    body.set("tasks", tasks);
    if (callback == null && (callbackArgs != null || callbackOn != null)) {
      throw CliException.usage("--callback-args and --callback-on need --callback QUEUE");
    }
    if (callback != null) {
      ObjectNode c = body.putObject("callback");
      c.put("queue", callback);
      if (callbackArgs != null) {
        c.set("args", parse(callbackArgs));
      }
      if (callbackOn != null) {
        c.put("on", callbackOn);
      }
    }
    JsonNode added = api.post("/api/queues/" + ApiClient.segment(queue) + "/batches", body);
    if (json()) {
      printJson(added);
    } else {
      out().println("batch " + added.path("group").asLong() + " of " + added.path("ids").size()
          + " tasks added to queue " + queue + (added.has("callback")
          ? "; callback task " + added.path("callback").asLong() + " runs when it ends" : ""));
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
