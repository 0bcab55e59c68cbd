package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code errand status <id>}: every field of one task. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Shows every field of one task; --json prints it as the server has it.",
        "Exit codes: 0 ok, 2 bad id, 4 server unreachable, 5 no such task, 6 token refused."})
public final class StatusCommand extends ClientCommand {
  @Parameters(paramLabel = "ID", converter = TaskIds.class,
      description = "The task's id: digits, e.g. 12.")
  long id;

  @Option(names = "--trace", description = "Also prints each error's stack trace.")
  boolean trace;

  @Override
  protected int run(ApiClient api) {
    JsonNode t = api.get("/api/tasks/" + id);
    if (json()) {
      printJson(t);
    } else {
      print(describe(t, Instant.now()));
      if (trace) {
        print(traces(t));
      }
    }
    return Exit.OK;
  }

  /** The task's fields, one a line, label first. */
  static List<String> describe(JsonNode t, Instant now) {
    List<String> out = new ArrayList<>();
    out.add("task " + t.path("id").asLong() + " on queue " + t.path("queue").asText() + ": "
        + t.path("status").asText());
    field(out, "progress", ProgressBar.of(t, 30) + "  " + t.path("current").asLong() + "/"
        + t.path("total").asLong());
    field(out, "message", Format.text(t, "message"));
    field(out, "attempt", t.path("attempt").asText());
    field(out, "priority", t.path("priority").asText());
    field(out, "key", Format.text(t, "key"));
    field(out, "batch", Format.text(t, "group"));
    field(out, "created", Format.when(t, "created_at", now));
    field(out, "run at", Format.when(t, "run_at", now));
    field(out, "started", Format.when(t, "started_at", now));
    field(out, "finished", Format.when(t, "finished_at", now) + ranFor(t));
    if (t.path("cancel_reason").isTextual()) {
      field(out, "cancelled", Format.text(t, "cancel_reason"));
    }
    field(out, "args", Format.text(t, "args"));
    JsonNode response = t.path("response");
    if (t.path("status").asText().equals("FAILURE") && response.has("message")) {
      field(out, "error", Format.text(response, "type") + ": " + Format.text(response, "message"));
    } else {
      field(out, "result", Format.text(t, "response"));
    }
    JsonNode errors = t.path("errors");
    field(out, "errors", errors.isEmpty() ? "none" : errors.size() + "");
    for (JsonNode e : errors) {
      out.add("  attempt " + e.path("attempt").asInt() + " at " + Format.text(e, "at") + ": "
          + Format.text(e, "type") + ": " + Format.text(e, "message"));
      for (JsonNode c : e.path("causes")) {
        out.add("    caused by " + Format.text(c, "type") + ": " + Format.text(c, "message"));
      }
      String output = e.path("output").asText("");
      if (!output.isEmpty()) {
        out.add("    output:");
        output.lines().forEach(l -> out.add("      " + l));
      }
    }
    return out;
  }

  /** Each error's stack trace, under a line naming its attempt. */
  static List<String> traces(JsonNode t) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : t.path("errors")) {
      String trace = e.path("trace").asText("");
      out.add("attempt " + e.path("attempt").asInt() + " stack trace:"
          + (trace.isEmpty() ? " none kept" : ""));
      trace.lines().forEach(l -> out.add("  " + l));
    }
    return out;
  }

  private static String ranFor(JsonNode t) {
    Instant started = Format.instant(t, "started_at");
    Instant finished = Format.instant(t, "finished_at");
    return started == null || finished == null ? ""
        : ", ran " + Format.duration(Duration.between(started, finished));
  }

  private static void field(List<String> out, String label, String value) {
    out.add(String.format("  %-10s %s", label, value));
  }
}
