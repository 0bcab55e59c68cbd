package io.errand.server.plugin;

import io.errand.server.handler.HandlerFactory;
import io.errand.http.ApiRoutes;
import java.util.List;

/**
 * A feature that plugs into the {@code errand} program whole: the handlers its queues name,
 * the HTTP routes it adds to the API, and the command-line verbs that call them. git-sync is
 * one; the generic parts of the program know plugins only through this interface.
 *
 * <p>Plugins are found with {@link java.util.ServiceLoader} ({@code provides
 * io.errand.server.plugin.ServerPlugin with ...} in a module, or a
 * {@code META-INF/services} file in a jar of the plugins directory), as handlers already are:
 * the command line must find a plugin's verbs before any config is read, and a jar dropped
 * into {@code plugins_dir} needs no list in the program to be found. Every method is called
 * once per run; none may block.
 */
public interface ServerPlugin {
  /**
   * The plugin's name, for messages, e.g. {@code git-sync}: letters, digits and '-'; two
   * plugins may not share one.
   */
  String name();

  /** The handlers it brings, each under its own {@link HandlerFactory#name()} (default none). */
  default List<HandlerFactory> handlers() {
    return List.of();
  }

  /**
   * The routes it adds to the HTTP API of a server with {@code settings} (default none). Each
   * route must be documented in {@code /api/openapi.json} and {@code docs/api.md}.
   *
   * @throws io.errand.common.SettingException when its part of the settings is wrong
   */
  default List<ApiRoutes> routes(PluginSettings settings) {
    return List.of();
  }

  /**
   * Its command-line verbs: picocli {@code @Command} objects, typically
   * {@link io.errand.server.cli.ClientCommand}s that call its routes (default none). Each
   * verb must be documented in {@code docs/cli.md}.
   */
  default List<Object> commands() {
    return List.of();
  }
}
