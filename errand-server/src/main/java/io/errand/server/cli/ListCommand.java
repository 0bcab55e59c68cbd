package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code errand list}: tasks, newest first, as a table. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"Lists tasks, newest first: id, queue, status, progress, message, age.",
        "Exit codes: 0 ok, 2 bad option, 4 server unreachable, 5 unknown queue, 6 token refused."})
public final class ListCommand extends ClientCommand {
  @Option(names = "--queue", paramLabel = "QUEUE", description = "Only this queue's tasks.")
  String queue;

  @Option(names = "--status", paramLabel = "STATUS",
      description = "Only tasks in this status: waiting, running, success, failure, cancelled.")
  String status;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "At most this many tasks, 1 to 1000 (default 20).")
  int limit;

  @Override
  protected int run(ApiClient api) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("queue", queue);
    q.put("status", status == null ? null : status.toUpperCase(Locale.ROOT));
    q.put("limit", limit);
    JsonNode page = api.get("/api/tasks" + ApiClient.query(q));
    if (json()) {
      printJson(page);
      return Exit.OK;
    }
    JsonNode tasks = page.path("tasks");
    if (tasks.isEmpty()) {
      out().println("no tasks" + (queue == null && status == null ? "" : " match"));
      out().flush();
      return Exit.OK;
    }
    Instant now = Instant.now();
    Table table = new Table("ID", "QUEUE", "STATUS", "PROGRESS", "MESSAGE", "AGE")
        .alignRight(0, 5);
    for (JsonNode t : tasks) {
      table.row(t.path("id").asLong(), t.path("queue").asText(), t.path("status").asText(),
          ProgressBar.of(t, 10), Format.shorten(Format.text(t, "message"), 40),
          Format.age(t, "created_at", now));
    }
    print(table.lines());
    if (!page.path("next_cursor").isNull()) {
      out().println("(the newest " + tasks.size() + " shown; more with --limit)");
      out().flush();
    }
    return Exit.OK;
  }
}
