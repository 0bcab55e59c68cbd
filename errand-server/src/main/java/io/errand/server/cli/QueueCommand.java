package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code errand queue pause|resume|drain NAME}: stops, restarts or drains one queue's claims. */
@Command(name = "queue", mixinStandardHelpOptions = true,
    description = {"Acts on one queue, on every node of its store: pause stops its claims (submits"
        + " are still taken, running tasks go on), resume lets them run again, drain pauses it"
        + " and waits until none of its tasks runs (at most --timeout); it stays paused.",
        "Exit codes: 0 ok (drain: nothing runs), 1 drain timed out with tasks still running,"
        + " 2 bad action or timeout, 4 server unreachable, 5 no such queue, 6 token refused."})
public final class QueueCommand extends ClientCommand {
  static final List<String> ACTIONS = List.of("pause", "resume", "drain");
  /** The server's limit for a drain's wait. */
  static final Duration LONGEST_DRAIN = Duration.ofMinutes(10);

  @Parameters(index = "0", paramLabel = "ACTION", completionCandidates = Actions.class,
      description = "pause, resume or drain.")
  String action;

  @Parameters(index = "1", paramLabel = "QUEUE", description = "The queue.")
  String name;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      converter = CliDurations.class,
      description = "With drain: how long to wait for running tasks, 0 to 10m"
          + " (default ${DEFAULT-VALUE}).")
  Duration timeout;

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
    String path = "/api/queues/" + ApiClient.segment(name) + "/" + action;
    if (!action.equals("drain")) {
      JsonNode answer = api.post(path, null);
      if (json()) {
        printJson(answer);
      } else {
        boolean paused = answer.path("paused").asBoolean();
        print(List.of("queue " + name + " is " + (paused ? "paused" : "running")
            + (answer.path("changed").asBoolean() ? "" : " (it was already)")));
      }
      return Exit.OK;
    }
    if (timeout.isNegative() || timeout.compareTo(LONGEST_DRAIN) > 0) {
      throw CliException.usage("--timeout must be from 0 to 10m, was " + timeout.toSeconds()
          + "s");
    }
    ObjectNode body = ApiClient.JSON.createObjectNode().put("timeout", timeout.toMillis());
    JsonNode answer = api.postWaiting(path, body, timeout);
    boolean drained = answer.path("drained").asBoolean();
    if (json()) {
      printJson(answer);
    } else if (drained) {
      print(List.of("queue " + name + " is paused and drained: none of its tasks runs"));
    } else {
      print(List.of("queue " + name + " is paused; " + answer.path("running").asLong()
          + " of its tasks still ran after " + timeout.toSeconds() + "s"));
    }
    return drained ? Exit.OK : Exit.FAILED;
  }
}
