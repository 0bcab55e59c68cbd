package io.errand.server.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a server's config tells its plugins ({@link ServerPlugin#routes}): today the named task
 * targets of its {@code users:} section, in the config's order.
 *
 * @param users the targets by name, in the config's order
 */
public record PluginSettings(Map<String, User> users) {
  /**
   * Keeps an unmodifiable copy, in the given order.
   *
   * @throws NullPointerException when {@code users} is null
   */
  public PluginSettings {
    users = Collections.unmodifiableMap(new LinkedHashMap<>(
        Objects.requireNonNull(users, "users")));
  }

  /**
   * One entry of the config's {@code users:} section: a name, the queue its task goes to and
   * the task's arguments as configured (not yet masked).
   *
   * @param name  the name requests use
   * @param queue the queue its task goes to
   * @param args  the task's arguments
   */
  public record User(String name, String queue, JsonNode args) {}
}
