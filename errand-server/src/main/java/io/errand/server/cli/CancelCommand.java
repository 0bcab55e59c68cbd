package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code errand cancel <id>}: cancels a task. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = {"Cancels a task: at once if it waits; a running one is asked to stop and"
        + " ends CANCELLED when its handler stops.",
        "Exit codes: 0 cancelled, stopping or already finished, 4 server unreachable,"
            + " 5 no such task, 6 token refused."})
public final class CancelCommand extends ClientCommand {
  @Parameters(paramLabel = "ID", converter = TaskIds.class,
      description = "The task's id: digits, e.g. 12.")
  long id;

  @Option(names = "--reason", paramLabel = "TEXT",
      description = "Why, kept with the task (default: cancelled through the API).")
  String reason;

  @Override
  protected int run(ApiClient api) {
    ObjectNode body = ApiClient.JSON.createObjectNode();
    if (reason != null) {
      body.put("reason", reason);
    }
    JsonNode r = api.post("/api/tasks/" + id + "/cancel", body);
    if (json()) {
      printJson(r);
      return Exit.OK;
    }
    out().println(switch (r.path("result").asText()) {
      case "cancelled" -> "task " + id + " cancelled";
      case "stopping" -> "task " + id + " is stopping: it was running, and ends CANCELLED when"
          + " its handler stops";
      case "already_finished" -> "task " + id + " had already finished: "
          + r.path("status").asText();
      default -> "task " + id + ": " + r;
    });
    out().flush();
    return Exit.OK;
  }
}
