package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;

/** {@code errand queues}: every queue with its live counts, and its label when it has one. */
@Command(name = "queues", mixinStandardHelpOptions = true,
    description = {"Lists the queues with their workers and live counts.",
        "Exit codes: 0 ok, 4 server unreachable, 6 token refused."})
public final class QueuesCommand extends ClientCommand {

  @Override
  protected int run(ApiClient api) {
    JsonNode all = api.get("/api/queues");
    if (json()) {
      printJson(all);
      return Exit.OK;
    }
    // Yao's `name` of a queue is shown as its label, in a column of its own only when a
    // queue has one, so a server without labels keeps the narrower table.
    boolean labels = false;
    for (JsonNode q : all.path("queues")) {
      labels |= !q.path("label").asText("").isEmpty();
    }
    List<String> headers = new ArrayList<>(List.of("QUEUE", "WORKERS", "RUNNING", "WAITING",
        "SUCCEEDED", "FAILED", "CANCELLED", "RETRIED", "PER SEC"));
    if (labels) {
      headers.add(1, "LABEL");
    }
    int first = labels ? 2 : 1;
    Table table = new Table(headers.toArray(String[]::new))
        .alignRight(IntStream.range(first, headers.size()).toArray());
    for (JsonNode q : all.path("queues")) {
      JsonNode c = q.path("counts");
      List<Object> cells = new ArrayList<>(List.of(q.path("name").asText(),
          q.path("workers").asInt(), c.path("running").asLong(), c.path("waiting").asLong(),
          c.path("succeeded").asLong(), c.path("failed").asLong(), c.path("cancelled").asLong(),
          c.path("retried").asLong(),
          String.format("%.1f", q.path("throughput_per_second").asDouble())));
      if (labels) {
        cells.add(1, q.path("label").asText(""));
      }
      table.row(cells.toArray());
    }
    print(table.lines());
    return Exit.OK;
  }
}
