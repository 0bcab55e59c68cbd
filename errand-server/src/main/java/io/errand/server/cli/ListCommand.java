package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
  @Mixin
  TaskFilter filter;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "At most this many tasks, 1 to 1000 (default 20).")
  int limit;

  @Override
  protected int run(ApiClient api) {
    Map<String, Object> q = new LinkedHashMap<>();
    filter.putInto(q);
    boolean searching = filter.searching();
    q.put("limit", limit);
    JsonNode page = api.get((searching ? "/api/search" : "/api/tasks") + ApiClient.query(q));
    if (json()) {
      printJson(page);
      return Exit.OK;
    }
    JsonNode tasks = page.path("tasks");
    if (tasks.isEmpty()) {
      out().println("no tasks" + (filter.none() ? "" : " match"));
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
