package io.errand.server.config;

import io.errand.common.Suggestions;
import io.errand.common.UrlPasswords;
import io.errand.server.config.ServerConfig.QueueConfig;
import io.errand.server.config.ServerConfig.UserConfig;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code users} block: named sync targets that {@code errand sync <name>} submits.
 * A user's {@code queue} may be left out when exactly one queue runs {@code git-sync}, the
 * common case of seed 000's set-up, so the file does not repeat it for every user.
 */
final class UserReader {
  static final List<String> KEYS = List.of("queue", "args");
  static final String SYNC_HANDLER = "git-sync";

  private UserReader() {}

  /** The users under {@code users}, checked against the {@code queues} already read. */
  static Map<String, UserConfig> read(ConfigNode users, Map<String, QueueConfig> queues) {
    Map<String, UserConfig> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : users.entries().entrySet()) {
      ConfigNode u = e.getValue();
      if (!u.isSet()) {
        throw u.error("is empty; a user needs args, e.g. {args: {url: ..., dir: ...}}");
      }
      u.allowOnly(KEYS);
      String queue = queue(u.get("queue"), queues);
      ConfigNode args = u.get("args");
      if (!args.isSet()) {
        throw args.error("is required: the arguments of the user's task, as a map");
      }
      if (!args.raw().isObject()) {
        throw args.error("must be a map of the task's arguments, was "
            + ConfigNode.describe(args.raw()));
      }
      refusePasswords(args);
      out.put(e.getKey(), new UserConfig(e.getKey(), queue, args.raw()));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Refuses a URL with a password in a user's arguments: they become a task's arguments, which
   * are stored, listed and shown, so the secret would be kept in clear wherever tasks are.
   */
  private static void refusePasswords(ConfigNode args) {
    UrlPasswords.firstIn(args.raw(), args.path()).ifPresent(at -> {
      throw args.errorAt(at, "holds a password in a URL, which would be"
          + " stored and shown with the task; remove it from the URL, put the secret in the"
          + " git-sync queue's credentials option (e.g. credentials: {repo: {env: REPO_TOKEN}})"
          + " and give the user credentials: repo in its args");
    });
  }

  private static String queue(ConfigNode q, Map<String, QueueConfig> queues) {
    if (q.isSet()) {
      String name = q.requireText("the name of a queue").strip();
      if (!queues.containsKey(name)) {
        throw q.error("names no queue: '" + name + "'" + Suggestions.hint(name, queues.keySet())
            + "; the queues are " + list(queues.keySet()));
      }
      return name;
    }
    List<String> sync = queues.values().stream()
        .filter(c -> c.handler().equals(SYNC_HANDLER)).map(QueueConfig::name).toList();
    if (sync.size() == 1) {
      return sync.get(0);
    }
    throw q.error(sync.isEmpty()
        ? "is required: no queue has handler '" + SYNC_HANDLER + "' to default to; name the"
            + " queue to submit to"
        : "is required: " + sync.size() + " queues have handler '" + SYNC_HANDLER + "' ("
            + String.join(", ", sync) + "); name the one to submit to");
  }

  private static String list(Collection<String> names) {
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }
}
