package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code errand failures}: failed tasks grouped by the error they ended with, largest first. */
@Command(name = "failures", mixinStandardHelpOptions = true,
    description = {"Groups failed tasks by the type and message of the error they ended with,",
        "largest group first, with the newest task of each (errand status ID shows it).",
        "Exit codes: 0 ok, 2 bad option, 4 server unreachable, 5 unknown queue, 6 token refused."})
public final class FailuresCommand extends ClientCommand {
  @Option(names = "--queue", paramLabel = "QUEUE", description = "Only this queue's tasks.")
  String queue;

  @Option(names = "--search", paramLabel = "TEXT",
      description = "Only tasks whose key, arguments or errors contain TEXT.")
  String search;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "At most this many groups, 1 to 1000 (default 20).")
  int limit;

  @Override
  protected int run(ApiClient api) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("queue", queue);
    q.put("q", search);
    q.put("limit", limit);
    JsonNode answer = api.get("/api/failures" + ApiClient.query(q));
    if (json()) {
      printJson(answer);
      return Exit.OK;
    }
    JsonNode groups = answer.path("groups");
    if (groups.isEmpty()) {
      out().println("no failed tasks" + (queue == null && search == null ? "" : " match"));
      out().flush();
      return Exit.OK;
    }
    Instant now = Instant.now();
    Table table = new Table("COUNT", "TYPE", "MESSAGE", "LATEST", "ENDED").alignRight(0, 3);
    for (JsonNode g : groups) {
      table.row(g.path("count").asLong(), Format.shorten(Format.text(g, "type"), 50),
          Format.shorten(Format.text(g, "message").replace('\n', ' '), 50),
          g.path("latest_task").asLong(), Format.age(g, "latest_at", now));
    }
    print(table.lines());
    return Exit.OK;
  }
}
