package io.errand.server.git.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.server.cli.ApiClient;
import io.errand.server.cli.ClientCommand;
import io.errand.server.cli.Exit;
import io.errand.server.cli.Format;
import io.errand.server.cli.Table;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code errand users}: the sync targets that {@code errand sync} takes by name. */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = {"Lists the users of the server's config (its users: section): the names"
        + " 'errand sync' takes, their queue and arguments (secrets masked).",
        "Exit codes: 0 ok, 4 server unreachable, 6 token refused."})
public final class UsersCommand extends ClientCommand {

  @Override
  protected int run(ApiClient api) {
    JsonNode all = api.get("/api/users");
    if (json()) {
      printJson(all);
      return Exit.OK;
    }
    if (all.path("users").isEmpty()) {
      print(List.of("the server's config has no users (see docs/config.md, 'Users')"));
      return Exit.OK;
    }
    Table table = new Table("USER", "QUEUE", "ARGS");
    for (JsonNode u : all.path("users")) {
      table.row(u.path("name").asText(), u.path("queue").asText(),
          Format.shorten(Format.text(u, "args"), 300));
    }
    print(table.lines());
    return Exit.OK;
  }
}
