package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one refresh of {@code errand monitor}: a heading, the queues' counts, then each
 * running task with a progress bar, cut to the lines the screen has.
 */
final class MonitorFrame {
  private static final int BAR = 20;

  private MonitorFrame() {}

  /**
   * The frame.
   *
   * @param heading  the first line (server, time, what is left)
   * @param queues   the queues as {@code GET /api/queues} lists them
   * @param running  the running tasks, newest first
   * @param maxLines the most lines the frame may take
   */
  static List<String> of(String heading, List<JsonNode> queues, List<JsonNode> running,
      int maxLines, Instant now) {
    List<String> lines = new ArrayList<>();
    lines.add(heading);
    Table counts = new Table("QUEUE", "WORKERS", "RUNNING", "WAITING", "SUCCEEDED", "FAILED",
        "CANCELLED").alignRight(1, 2, 3, 4, 5, 6);
    for (JsonNode q : queues) {
      JsonNode c = q.path("counts");
      counts.row(q.path("name").asText(), q.path("workers").asInt(), c.path("running").asLong(),
          c.path("waiting").asLong(), c.path("succeeded").asLong(), c.path("failed").asLong(),
          c.path("cancelled").asLong());
    }
    lines.addAll(counts.lines());
    lines.add("");
    if (running.isEmpty()) {
      lines.add("no task is running");
      return lines;
    }
    // Room for the table's header and, when some are left out, a line that says so.
    int room = Math.max(1, maxLines - lines.size() - 2);
    int shown = running.size() <= room + 1 ? running.size() : room;
    Table tasks = new Table("TASK", "QUEUE", "PROGRESS", "MESSAGE", "RUNNING FOR")
        .alignRight(0, 4);
    for (JsonNode t : running.subList(0, shown)) {
      tasks.row(t.path("id").asLong(), t.path("queue").asText(), ProgressBar.of(t, BAR),
          Format.shorten(Format.text(t, "message"), 40), Format.age(t, "started_at", now));
    }
    lines.addAll(tasks.lines());
    if (shown < running.size()) {
      lines.add("... and " + (running.size() - shown) + " more running");
    }
    return lines;
  }

  /** The heading: server, local time, refresh interval and time left. */
  static String heading(String server, String interval, String left) {
    return "errand monitor  " + server + "  " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
        + "  every " + interval + (left == null ? ", until Ctrl-C" : ", " + left + " left");
  }
}
