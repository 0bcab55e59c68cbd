package io.errand.server.config;

import io.errand.common.Secret;
import io.errand.common.SubstitutedText;
import io.errand.api.TaskError;
import io.errand.server.config.ServerConfig.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the {@code store} block: {@code sqlite} (the default: a file, and when its commits
 * reach the disk), {@code memory}, or {@code postgres} (a database many servers share). A key
 * of another type is refused rather than ignored, so a config never says something that does
 * not happen.
 */
final class StoreReader {
  static final List<String> SQLITE_KEYS = List.of("path", "synchronous");
  static final List<String> POSTGRES_KEYS = List.of("url", "user", "password", "schema",
      "heartbeat", "lease");
  static final List<String> KEYS = Stream.of(List.of("type", "error_trace_limit"), SQLITE_KEYS,
      POSTGRES_KEYS)
      .flatMap(List::stream).toList();

  /** SQLite's synchronous settings that keep a committed task safe enough to offer. */
  enum Synchronous { FULL, NORMAL }

  private StoreReader() {}

  /**
   * The store of block {@code s}; relative paths from {@code base}, the SQLite file by default
   * in {@code dataDir}. Environment variables the password names go to {@code secretEnv}.
   */
  static Store read(ConfigNode s, Path base, Path dataDir, Set<String> secretEnv) {
    s.allowOnly(KEYS);
    Store.Kind kind = s.get("type").choice(Store.Kind.class).orElse(Store.Kind.SQLITE);
    refuseKeysOfOtherTypes(s, kind);
    int traceLimit = s.get("error_trace_limit").integer(0, TaskError.MAX_TRACE_LIMIT)
        .orElse(TaskError.DEFAULT_TRACE_LIMIT);
    Store store = switch (kind) {
      case MEMORY -> new Store(kind, null, Synchronous.NORMAL.name());
      case SQLITE -> {
        Path path = s.get("path").path(base).orElse(dataDir.resolve("errand.db"));
        Synchronous sync = s.get("synchronous").choice(Synchronous.class)
            .orElse(Synchronous.NORMAL);
        yield new Store(kind, path, sync.name());
      }
      case POSTGRES -> new Store(kind, null, null, postgres(s, secretEnv));
    };
    return new Store(store.kind(), store.path(), store.synchronous(), store.postgres(),
        traceLimit);
  }

  private static Store.Postgres postgres(ConfigNode s, Set<String> secretEnv) {
    String url = s.get("url").requireText("the database's JDBC URL, e.g. "
        + "url: jdbc:postgresql://127.0.0.1:5432/errand");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw s.get("url").error("must be a PostgreSQL JDBC URL starting with "
          + "'jdbc:postgresql:', e.g. jdbc:postgresql://127.0.0.1:5432/errand");
    }
    String user = s.get("user").text().map(String::strip).filter(u -> !u.isEmpty()).orElse(null);
    Secret password = null;
    ConfigNode p = s.get("password");
    if (p.isSet()) {
      if (!p.raw().isValueNode() || p.raw().isBinary()) {
        throw p.error("must be text (the database password), was " + ConfigNode.describe(p.raw()));
      }
      String v = p.raw().asText();
      if (!v.isEmpty()) { // password: ${PGPASSWORD:-} leaves it out
        password = Secret.of(v);
        secretEnv.addAll(SubstitutedText.variablesIn(p.raw()));
      }
    }
    String schema = s.get("schema").text().map(String::strip).orElse("errand");
    if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw s.get("schema").error("must be a lower-case SQL name (letters, digits, '_'; up to 63"
          + " characters, not starting with a digit), was '" + schema + "'");
    }
    Duration heartbeat = s.get("heartbeat").duration(null, false).orElse(Duration.ofSeconds(5));
    Duration lease = s.get("lease").duration(null, false).orElse(Duration.ofSeconds(30));
    if (lease.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw s.get("lease").error("must be at least twice store.heartbeat ("
          + heartbeat.toMillis() + " ms), so that one late heartbeat does not make other servers run this one's tasks"
          + " again");
    }
    return new Store.Postgres(url, user, password, schema, heartbeat, lease);
  }

  private static void refuseKeysOfOtherTypes(ConfigNode s, Store.Kind kind) {
    for (String key : SQLITE_KEYS) {
      if (kind != Store.Kind.SQLITE && s.get(key).isSet()) {
        throw s.get(key).error("only applies to type: sqlite; remove it or use that type");
      }
    }
    for (String key : POSTGRES_KEYS) {
      if (kind != Store.Kind.POSTGRES && s.get(key).isSet()) {
        throw s.get(key).error("only applies to type: postgres; remove it or use that type");
      }
    }
  }
}
