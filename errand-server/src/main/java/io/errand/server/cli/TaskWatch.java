package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * Waits for one task to end, showing its progress: on a terminal a single line redrawn in
 * place; elsewhere one line each time the progress or message changes; nothing when quiet
 * ({@code --json}, where only the final task is printed).
 */
final class TaskWatch {
  private static final int BAR = 30;

  private final ApiClient api;
  private final PrintWriter out;
  private final Terminal terminal;
  private final boolean quiet;

  TaskWatch(ApiClient api, PrintWriter out, Terminal terminal, boolean quiet) {
    this.api = api;
    this.out = out;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  /** Polls task {@code id} until its status is final and returns it. */
  JsonNode await(long id) {
    String last = null;
    while (true) {
      JsonNode t = api.get("/api/tasks/" + id);
      boolean done = isFinal(t.path("status").asText());
      String line = line(t);
      if (!quiet && !Objects.equals(line, last)) {
        show(line);
        last = line;
      }
      if (done) {
        if (!quiet && terminal.interactive()) {
          out.println();
          out.flush();
        }
        return t;
      }
      Polling.pause(Polling.INTERVAL);
    }
  }

  static boolean isFinal(String status) {
    return status.equals("SUCCESS") || status.equals("FAILURE") || status.equals("CANCELLED");
  }

  private String line(JsonNode t) {
    String msg = Format.text(t, "message");
    return "task " + t.path("id").asLong() + " " + ProgressBar.of(t, BAR) + "  "
        + String.format("%-9s", t.path("status").asText())
        + (msg.equals(Format.NONE) ? "" : " " + msg);
  }

  private void show(String line) {
    if (terminal.interactive()) {
      out.print("\r" + Format.shorten(line, Math.max(10, terminal.columns() - 1))
          + Terminal.CLEAR_LINE);
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** One line on how a finished task ended: its result, or why it failed or was cancelled. */
  static String outcome(JsonNode t) {
    String status = t.path("status").asText();
    String head = "task " + t.path("id").asLong() + " " + status;
    return switch (status) {
      case "SUCCESS" -> head + ": " + Format.shorten(Format.text(t, "response"), 300);
      case "CANCELLED" -> head + ": " + (t.path("cancel_reason").isTextual()
          ? Format.text(t, "cancel_reason") : Format.text(t, "message"));
      default -> head + " after " + t.path("attempt").asInt() + " attempt(s): "
          + (t.path("response").path("message").isTextual()
              ? Format.oneLine(t.path("response").path("message").asText())
              : Format.text(t, "message"));
    };
  }
}
