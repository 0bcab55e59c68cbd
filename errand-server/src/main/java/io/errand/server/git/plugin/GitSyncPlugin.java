package io.errand.server.git.plugin;

import io.errand.server.git.GitSyncHandlerFactory;
import io.errand.server.git.cli.SyncCommand;
import io.errand.server.git.cli.UsersCommand;
import io.errand.server.handler.HandlerFactory;
import io.errand.http.ApiRoutes;
import io.errand.server.git.http.SyncRoutes;
import io.errand.server.git.http.SyncUser;
import io.errand.server.plugin.PluginSettings;
import io.errand.server.plugin.ServerPlugin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * git-sync (seed 000) as a plugin: the {@code git-sync} handler, the {@code /api/users} routes
 * over the config's {@code users:} section, and the {@code errand sync} and
 * {@code errand users} verbs. The routes are added even when the config has no users, so that
 * {@code /api/users} answers an empty list and says why a sync is refused.
 */
public final class GitSyncPlugin implements ServerPlugin {
  /** The plugin, as {@link java.util.ServiceLoader} makes it. */
  public GitSyncPlugin() {}

  @Override
  public String name() {
    return "git-sync";
  }

  @Override
  public List<HandlerFactory> handlers() {
    return List.of(new GitSyncHandlerFactory());
  }

  @Override
  public List<ApiRoutes> routes(PluginSettings settings) {
    Map<String, SyncUser> users = new LinkedHashMap<>();
    settings.users().forEach((name, u) -> users.put(name,
        new SyncUser(u.name(), u.queue(), u.args())));
    return List.of(SyncRoutes.of(users));
  }

  @Override
  public List<Object> commands() {
    return List.of(new SyncCommand(), new UsersCommand());
  }
}
