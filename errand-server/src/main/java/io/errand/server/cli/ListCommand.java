package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code errand list}: tasks, newest first, as a table; with {@code --search}, {@code --from} or
 * {@code --to} through the server's search ({@code /api/search}).
 */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"Lists tasks, newest first: id, queue, status, progress, message, age.",
        "--search finds a task id, or text in keys, arguments and errors.",
        "Exit codes: 0 ok, 2 bad option, 4 server unreachable, 5 unknown queue, 6 token refused."})
public final class ListCommand extends ClientCommand {
  @Option(names = "--queue", paramLabel = "QUEUE", description = "Only this queue's tasks.")
  String queue;

  @Option(names = "--status", paramLabel = "STATUS",
      description = "Only tasks in this status: waiting, running, success, failure, cancelled.")
  String status;

  @Option(names = "--search", paramLabel = "TEXT",
      description = "Only tasks whose id is TEXT, or whose key, arguments or errors contain it.")
  String search;

  @Option(names = "--from", paramLabel = "TIME",
      description = "Only tasks created at or after TIME (ISO-8601 UTC, e.g. 2026-12-07T22:00:00Z).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "Only tasks created before TIME.")
  String to;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "At most this many tasks, 1 to 1000 (default 20).")
  int limit;

  @Override
  protected int run(ApiClient api) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("queue", queue);
    q.put("status", status == null ? null : status.toUpperCase(Locale.ROOT));
    boolean searching = search != null || from != null || to != null;
    if (searching) {
      q.put("q", search);
      q.put("from", from);
      q.put("to", to);
    }
    q.put("limit", limit);
    JsonNode page = api.get((searching ? "/api/search" : "/api/tasks") + ApiClient.query(q));
    if (json()) {
      printJson(page);
      return Exit.OK;
    }
    JsonNode tasks = page.path("tasks");
    if (tasks.isEmpty()) {
      out().println("no tasks" + (queue == null && status == null && !searching ? "" : " match"));
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
