package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code errand keys [<supervisor>]}: a supervisor's keys, or every supervisor. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = {"Lists a supervisor's keys: state, since when, restarts, message. Without a"
        + " supervisor, lists the supervisors.",
        "Exit codes: 0 ok, 4 server unreachable, 5 no such supervisor, 6 token refused."})
public final class KeysCommand extends ClientCommand {
  @Parameters(paramLabel = "SUPERVISOR", arity = "0..1", description = "The supervisor.")
  String supervisor;

  @Override
  protected int run(ApiClient api) {
    if (supervisor == null) {
      return supervisors(api);
    }
    JsonNode keys = api.get("/api/supervisors/" + ApiClient.segment(supervisor) + "/keys");
    if (json()) {
      printJson(keys);
      return Exit.OK;
    }
    if (keys.path("keys").isEmpty()) {
      print(List.of("supervisor " + supervisor + " has no keys"));
      return Exit.OK;
    }
    Instant now = Instant.now();
    Table table = new Table("KEY", "STATE", "SINCE", "RESTARTS", "MESSAGE").alignRight(3);
    for (JsonNode k : keys.path("keys")) {
      JsonNode error = k.path("last_error");
      String message = Format.text(k, "message");
      if (error.isObject() && message.equals(Format.NONE)) {
        message = Format.text(error, "message");
      }
      table.row(k.path("key").asText(), k.path("state").asText(), Format.age(k, "since", now),
          k.path("restarts").asInt(), Format.shorten(message, 50));
    }
    print(table.lines());
    return Exit.OK;
  }

  private int supervisors(ApiClient api) {
    JsonNode all = api.get("/api/supervisors");
    if (json()) {
      printJson(all);
      return Exit.OK;
    }
    if (all.path("supervisors").isEmpty()) {
      print(List.of("the server runs no supervisors"));
      return Exit.OK;
    }
    Table table = new Table("SUPERVISOR", "KEYS", "STATES").alignRight(1);
    for (JsonNode s : all.path("supervisors")) {
      StringBuilder states = new StringBuilder();
      s.path("states").properties().forEach(e -> states.append(states.isEmpty() ? "" : ", ")
          .append(e.getValue().asInt()).append(' ').append(e.getKey()));
      table.row(s.path("name").asText(), s.path("keys").asInt(), states);
    }
    print(table.lines());
    return Exit.OK;
  }
}
