package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code errand queues}: every queue with its live counts. */
@Command(name = "queues", mixinStandardHelpOptions = true,
    description = {"Lists the queues with their workers and live counts.",
        "Exit codes: 0 ok, 4 server unreachable, 6 token refused."})
public final class QueuesCommand extends ClientCommand {

  @Override
  int run(ApiClient api) {
    JsonNode all = api.get("/api/queues");
    if (json()) {
      printJson(all);
      return Exit.OK;
    }
    Table table = new Table("QUEUE", "WORKERS", "RUNNING", "WAITING", "SUCCEEDED", "FAILED",
        "CANCELLED", "RETRIED", "PER SEC").alignRight(1, 2, 3, 4, 5, 6, 7, 8);
    for (JsonNode q : all.path("queues")) {
      JsonNode c = q.path("counts");
      table.row(q.path("name").asText(), q.path("workers").asInt(), c.path("running").asLong(),
          c.path("waiting").asLong(), c.path("succeeded").asLong(), c.path("failed").asLong(),
          c.path("cancelled").asLong(), c.path("retried").asLong(),
          String.format("%.1f", q.path("throughput_per_second").asDouble()));
    }
    print(table.lines());
    return Exit.OK;
  }
}
