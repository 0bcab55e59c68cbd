package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Waits for a batch to end, showing its aggregate progress: on a terminal a frame redrawn in
 * place (the batch's bar, then one bar per running task); elsewhere the batch's line each time
 * it changes; nothing when quiet ({@code --json}).
 */
public final class BatchWatch {
  private static final String[][] COUNTS = {{"running", "running"}, {"waiting", "waiting"},
      {"succeeded", "ok"}, {"failed", "failed"}, {"cancelled", "cancelled"}};

  private final ApiClient api;
  private final PrintWriter out;
  private final Terminal terminal;
  private final boolean quiet;

  /** Polls through {@code api}, drawing on {@code out} (nothing but the end when quiet). */
  public BatchWatch(ApiClient api, PrintWriter out, Terminal terminal, boolean quiet) {
    this.api = api;
    this.out = out;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  /**
   * Polls batch {@code group} until every task has ended, then returns its final status.
   *
   * @param names a name to show for each task id (the user it syncs)
   */
  public JsonNode await(long group, Map<Long, String> names) {
    Screen screen = new Screen(out, terminal);
    String last = null;
    while (true) {
      JsonNode b = api.get("/api/batches/" + group);
      if (!quiet) {
        List<String> lines = frame(b, names, screen.maxLines());
        if (terminal.interactive()) {
          screen.draw(lines);
        } else if (!lines.get(0).equals(last)) {
          out.println(lines.get(0));
          out.flush();
        }
        last = lines.get(0);
      }
      if (b.path("done").asBoolean()) {
        return b;
      }
      Polling.pause(Polling.INTERVAL);
    }
  }

  private static List<String> frame(JsonNode b, Map<Long, String> names, int maxLines) {
    JsonNode c = b.path("counts");
    // Only the counts that are not zero: the line must fit a terminal's width.
    StringJoiner counts = new StringJoiner(", ");
    for (String[] k : COUNTS) {
      long n = c.path(k[0]).asLong();
      if (n > 0) {
        counts.add(n + " " + k[1]);
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add("batch " + b.path("group").asLong() + " "
        + ProgressBar.of(b.path("progress").asDouble(), 20) + "  "
        + b.path("finished").asLong() + "/" + b.path("total").asLong() + " done"
        + (counts.length() == 0 ? "" : ": " + counts));
    JsonNode running = b.path("running");
    for (JsonNode t : running) {
      if (lines.size() >= maxLines - 1 && lines.size() < running.size() + 1) {
        lines.add("  ... and " + (running.size() + 1 - lines.size()) + " more running");
        break;
      }
      long id = t.path("id").asLong();
      String msg = Format.text(t, "message");
      lines.add("  " + names.getOrDefault(id, "task " + id) + " " + ProgressBar.of(t, 20)
          + (msg.equals(Format.NONE) ? "" : "  " + msg));
    }
    return lines;
  }
}
