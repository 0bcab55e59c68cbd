package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code errand schedule pause|resume|run-now|next NAME}: acts on one schedule. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
    description = {"Acts on one schedule: pause it, resume it, submit its task now (run-now),"
        + " or print its next occurrences (next).",
        "Exit codes: 0 ok, 1 the server refused, 2 bad action or count, 4 server unreachable,"
        + " 5 no such schedule, 6 token refused."})
public final class ScheduleCommand extends ClientCommand {
  static final List<String> ACTIONS = List.of("pause", "resume", "run-now", "next");

  @Parameters(index = "0", paramLabel = "ACTION", completionCandidates = Actions.class,
      description = "pause, resume, run-now or next.")
  String action;

  @Parameters(index = "1", paramLabel = "NAME", description = "The schedule.")
  String name;

  @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "5",
      description = "With next: how many occurrences, 1-1000 (default ${DEFAULT-VALUE}).")
  int count;

  /** The actions, for shell completion. */
  static final class Actions extends ArrayList<String> {
    Actions() {
      super(ACTIONS);
    }
  }

  @Override
  protected int run(ApiClient api) {
    if (!ACTIONS.contains(action)) {
      throw CliException.usage("'" + action + "' is not an action; use one of "
          + String.join(", ", ACTIONS));
    }
    String path = "/api/schedules/" + ApiClient.segment(name);
    if (action.equals("next")) {
      if (count < 1 || count > 1000) {
        throw CliException.usage("--count must be 1-1000, was " + count);
      }
      JsonNode next = api.get(path + "/next?n=" + count);
      if (json()) {
        printJson(next);
      } else {
        List<String> lines = new ArrayList<>();
        next.path("next").forEach(t -> lines.add(t.asText()));
        print(lines.isEmpty() ? List.of("schedule " + name + " has no more occurrences") : lines);
      }
      return Exit.OK;
    }
    JsonNode answer = api.post(path + "/" + action, null);
    if (json()) {
      printJson(answer);
    } else if (action.equals("run-now")) {
      print(List.of("schedule " + name + ": task " + answer.path("task_id").asLong()
          + " submitted"));
    } else {
      print(List.of("schedule " + name + " is " + answer.path("state").asText()));
    }
    return Exit.OK;
  }
}
