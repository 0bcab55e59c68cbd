package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code errand schedules}: every schedule, its spec in words, state, next run and last run. */
@Command(name = "schedules", mixinStandardHelpOptions = true,
    description = {"Lists the schedules: name, queue, when (the spec in words), state, next run"
        + " and last run (task, status, when).",
        "Exit codes: 0 ok, 1 the server keeps no schedules, 4 server unreachable, 6 token"
        + " refused."})
public final class SchedulesCommand extends ClientCommand {

  @Override
  protected int run(ApiClient api) {
    JsonNode all = api.get("/api/schedules");
    if (json()) {
      printJson(all);
      return Exit.OK;
    }
    if (all.path("schedules").isEmpty()) {
      print(List.of("the server has no schedules"));
      return Exit.OK;
    }
    Instant now = Instant.now();
    Table table = new Table("SCHEDULE", "QUEUE", "WHEN", "STATE", "NEXT", "LAST RUN");
    for (JsonNode s : all.path("schedules")) {
      JsonNode last = s.path("last_run");
      String lastRun = last.isObject() ? "#" + last.path("task_id").asLong() + " "
          + (last.path("status").isTextual() ? last.path("status").asText() : "removed") + " "
          + Format.age(last, "fired_at", now) : "never";
      table.row(s.path("name").asText(), s.path("queue").asText(),
          Format.shorten(Format.text(s, "description"), 40), s.path("state").asText(),
          s.path("state").asText().equals("PAUSED") ? "paused" : Format.when(s, "next_due", now),
          lastRun);
    }
    print(table.lines());
    return Exit.OK;
  }
}
