package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Waits for one task to end, showing its progress: on a terminal a single line redrawn in
 * place; elsewhere one line each time the progress or message changes; nothing when quiet
 * ({@code --json}, where only the final task is printed).
 *
 * <p>It follows the server's event stream rather than asking for the task again and again:
 * each progress step shows as it happens, and the server is asked for the task only at the
 * start, after a gap in the stream and at the end (for its result). A stream that ends (the
 * server restarting, a proxy's time-out) is opened again from the last event seen.
 */
public final class TaskWatch {
  private static final int BAR = 30;

  private final ApiClient api;
  private final PrintWriter out;
  private final Terminal terminal;
  private final boolean quiet;
  private String shown;

  /** Polls through {@code api}, drawing on {@code out} (nothing but the end when quiet). */
  public TaskWatch(ApiClient api, PrintWriter out, Terminal terminal, boolean quiet) {
    this.api = api;
    this.out = out;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  /**
   * Opens the stream of {@code queue}'s events, then adds the task with {@code submit} (which
   * answers the API's {@code {id, status, created}}), and follows it to its end: every event
   * of a new task is seen, even of one that starts and ends at once. Returns the finished task.
   */
  JsonNode submitAndAwait(String queue, Supplier<JsonNode> submit) {
    return follow("/api/events" + ApiClient.query(Map.of("queue", queue)), submit);
  }

  /** Follows task {@code id}, which exists already, until its status is final; returns it. */
  public JsonNode await(long id) {
    return follow("/api/events" + ApiClient.query(Map.of("task", id)),
        () -> ApiClient.JSON.createObjectNode().put("id", id).put("created", false));
  }

  private JsonNode follow(String path, Supplier<JsonNode> task) {
    String lastId = null;
    long id = -1;
    boolean look = false;
    while (true) {
      try (EventFeed feed = EventFeed.open(api, path, lastId)) {
        if (id < 0) {
          JsonNode added = task.get();
          id = added.path("id").asLong();
          look = !added.path("created").asBoolean(true); // it may have begun before the stream
        }
        if (look) { // what happened before the stream was open
          JsonNode t = api.get("/api/tasks/" + id);
          if (show(t)) {
            return done(t);
          }
        }
        for (EventFeed.Event e = feed.next(); e != null; e = feed.next()) {
          if (e.type().equals("gap") || e.type().equals("reset")) {
            // events were lost (reset: the server restarted since lastId): the task as it is now
            JsonNode t = api.get("/api/tasks/" + id);
            if (show(t)) {
              return done(t);
            }
          } else if (e.data().path("task_id").asLong() == id
              && show(((ObjectNode) e.data().deepCopy()).put("id", id))) {
            return done(api.get("/api/tasks/" + id)); // with its result and errors
          }
        }
        lastId = feed.lastId();
      }
      look = lastId == null; // a resumed stream replays what was missed; a new one does not
      Polling.pause(Polling.INTERVAL); // before opening the stream again
    }
  }

  /** Shows the task's line when it changed; true when its status is final. */
  private boolean show(JsonNode t) {
    String line = line(t);
    if (!quiet && !Objects.equals(line, shown)) {
      show(line);
      shown = line;
    }
    return isFinal(t.path("status").asText());
  }

  private JsonNode done(JsonNode t) {
    show(t);
    if (!quiet && terminal.interactive()) {
      out.println();
      out.flush();
    }
    return t;
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
  public static String outcome(JsonNode t) {
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
