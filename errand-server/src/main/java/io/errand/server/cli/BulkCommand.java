package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code errand bulk ACTION}: retries, cancels or deletes every task matching a filter. Without
 * {@code --confirm} it only counts them; with {@code --confirm N} the server acts, unless more
 * than N match by then.
 */
@Command(name = "bulk", mixinStandardHelpOptions = true,
    description = {"Retries, cancels or deletes every task matching the filter options.",
        "First run it without --confirm: it prints how many tasks match. Then run it again with",
        "--confirm N (that count): the server acts on them, or on nothing if more match by then.",
        "Exit codes: 0 ok, 1 more tasks match than confirmed, 2 bad option, 4 server unreachable,",
        "5 unknown queue, 6 token refused."})
public final class BulkCommand extends ClientCommand {
  /** What to do to each matching task. */
  enum Action { RETRY, CANCEL, DELETE }

  @Parameters(paramLabel = "ACTION", description = "retry, cancel or delete.",
      converter = ActionConverter.class)
  Action action;

  @Mixin
  TaskFilter tasks;

  @Option(names = "--confirm", paramLabel = "N",
      description = "Act, on at most N tasks: the count a run without --confirm printed.")
  Long confirm;

  /** Reads an action in any case, naming the allowed ones when it is none of them. */
  static final class ActionConverter implements picocli.CommandLine.ITypeConverter<Action> {
    @Override
    public Action convert(String value) {
      try {
        return Action.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value
            + "' is not an action; use retry, cancel or delete");
      }
    }
  }

  @Override
  protected int run(ApiClient api) {
    Map<String, Object> filter = new LinkedHashMap<>();
    tasks.putInto(filter);
    String verb = action.name().toLowerCase(Locale.ROOT);
    if (confirm == null) {
      long n = api.get("/api/search/count" + ApiClient.query(filter)).path("count").asLong();
      if (json()) {
        printJson(ApiClient.JSON.createObjectNode().put("count", n));
      } else {
        out().println(n + " tasks match; to " + verb + " them, run this again with --confirm "
            + n);
        out().flush();
      }
      return Exit.OK;
    }
    ObjectNode body = ApiClient.JSON.createObjectNode().put("action", verb)
        .put("expected", confirm);
    ObjectNode f = body.putObject("filter");
    filter.forEach((k, v) -> {
      if (v != null) {
        f.put(k, v.toString());
      }
    });
    JsonNode r = api.post("/api/bulk", body); // 409, more match than confirmed: exit 1
    if (json()) {
      printJson(r);
    } else {
      out().println(verb + ": " + r.path("done").asLong() + " done, "
          + r.path("skipped").asLong() + " skipped (not " + (action == Action.CANCEL ? "live"
          : action == Action.RETRY ? "finished" : "there") + " any more)");
      out().flush();
    }
    return Exit.OK;
  }
}
