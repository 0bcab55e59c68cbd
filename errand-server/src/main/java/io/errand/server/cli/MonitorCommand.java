package io.errand.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code errand monitor}: a live table of queues and running tasks, for a while. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
    description = {"Shows the queues' counts and every running task with a progress bar,"
        + " refreshed every --interval for --duration, then ends by itself. On a terminal the"
        + " table is redrawn in place; otherwise each refresh is appended as plain text;"
        + " with --json, each refresh is one line of JSON.",
        "Durations: 250ms, 5s, 2m, 1h, or a number of seconds.",
        "Exit codes: 0 ended after --duration, 2 bad option, 4 server unreachable at the start,"
            + " 5 unknown queue, 6 token refused, 130 stopped with Ctrl-C."})
public final class MonitorCommand extends ClientCommand {
  private static final Duration SHORTEST = Duration.ofMillis(100);
  private static final int MOST_RUNNING = 200;

  @Option(names = "--interval", paramLabel = "D", defaultValue = "5s",
      converter = CliDurations.class, description = "Time between refreshes (default 5s).")
  Duration interval;

  @Option(names = "--duration", paramLabel = "D", defaultValue = "300s",
      converter = CliDurations.class,
      description = "How long to run (default 300s); 0 runs until Ctrl-C.")
  Duration duration;

  @Option(names = "--queue", paramLabel = "QUEUE", description = "Only this queue.")
  String queue;

  @Override
  @SuppressWarnings("try") // the watch is used by being open, not by being called
  protected int run(ApiClient api) {
    if (interval.compareTo(SHORTEST) < 0) {
      throw CliException.usage("--interval must be at least 100ms, got " + interval.toMillis()
          + "ms");
    }
    if (duration.isNegative()) {
      throw CliException.usage("--duration must not be negative");
    }
    Terminal terminal = json() ? Terminal.plain() : Terminal.detect();
    // The last line is printed inside the watch, so that a Ctrl-C waits for it.
    try (CtrlC ctrlC = CtrlC.watch()) {
      try {
        refreshUntilTheEnd(api, new Screen(out(), terminal));
        note("monitor ended after " + Format.duration(duration));
        return Exit.OK;
      } catch (CliException e) {
        if (e.exitCode() != Exit.INTERRUPTED) {
          throw e;
        }
        note("monitor stopped");
        return Exit.INTERRUPTED;
      }
    }
  }

  private void refreshUntilTheEnd(ApiClient api, Screen screen) {
    Instant end = duration.isZero() ? null : Instant.now().plus(duration);
    boolean first = true;
    while (true) {
      refresh(api, screen, end, first);
      first = false;
      Duration left = end == null ? interval : Duration.between(Instant.now(), end);
      if (left.isNegative() || left.isZero()) {
        return;
      }
      Polling.pause(left.compareTo(interval) < 0 ? left : interval);
    }
  }

  /**
   * One refresh. A failure on the first one ends the command (there is nothing to show); a
   * later one (a server restarting) is shown in place of the tables, and the monitor goes on.
   */
  private void refresh(ApiClient api, Screen screen, Instant end, boolean first) {
    Instant now = Instant.now();
    List<JsonNode> queues;
    List<JsonNode> running;
    try {
      queues = queues(api);
      running = running(api);
    } catch (CliException e) {
      if (first || e.exitCode() == Exit.INTERRUPTED) {
        throw e;
      }
      if (json()) {
        line(ApiClient.JSON.createObjectNode().put("at", now.toString())
            .put("error", e.getMessage()));
      } else {
        screen.draw(List.of(heading(api, end, now), "", "errand: " + e.getMessage(),
            "(trying again every " + Format.duration(interval) + ")"));
      }
      return;
    }
    if (json()) {
      ObjectNode n = ApiClient.JSON.createObjectNode().put("at", now.toString());
      n.putArray("queues").addAll(queues);
      n.putArray("running").addAll(running);
      line(n);
      return;
    }
    screen.draw(MonitorFrame.of(heading(api, end, now), queues, running, screen.maxLines(),
        now));
  }

  private String heading(ApiClient api, Instant end, Instant now) {
    // Whole seconds, rounded up: "0ms left" would read as if it had already ended.
    long seconds = end == null ? 0
        : (Math.max(0, Duration.between(now, end).toMillis()) + 999) / 1000;
    String left = end == null ? null
        : seconds < 60 ? seconds + "s" : Format.duration(Duration.ofSeconds(seconds));
    return MonitorFrame.heading(api.server().toString(), Format.duration(interval), left);
  }

  private List<JsonNode> queues(ApiClient api) {
    if (queue != null) {
      return List.of(api.get("/api/queues/" + ApiClient.segment(queue)));
    }
    List<JsonNode> out = new ArrayList<>();
    api.get("/api/queues").path("queues").forEach(out::add);
    return out;
  }

  private List<JsonNode> running(ApiClient api) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("queue", queue);
    q.put("status", "RUNNING");
    q.put("limit", MOST_RUNNING);
    List<JsonNode> out = new ArrayList<>();
    api.get("/api/tasks" + ApiClient.query(q)).path("tasks").forEach(out::add);
    return out;
  }

  private void line(JsonNode n) {
    try {
      out().println(ApiClient.JSON.writeValueAsString(n));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out().flush();
  }

  /** A closing line; left out with --json, whose output is one JSON object a line. */
  private void note(String line) {
    if (!json()) {
      out().println(line);
      out().flush();
    }
  }
}
