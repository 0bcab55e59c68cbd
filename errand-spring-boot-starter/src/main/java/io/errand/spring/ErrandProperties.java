package io.errand.spring;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code errand.*} settings of the auto-configured {@link io.errand.api.Errand}. Each one is
 * checked as it binds: a bad value stops the application's start with a message naming the
 * setting, the value and what is allowed.
 *
 * @param store         where the tasks are kept
 * @param shutdownGrace how long the drain at shutdown waits for running tasks (default 30 s)
 * @param node          this process's name among the nodes sharing a store (default: host and pid)
 * @param eventBuffer   how many events each listener may have waiting (default 65,536)
 */
@ConfigurationProperties("errand")
public record ErrandProperties(@DefaultValue Store store,
    @DefaultValue("30s") Duration shutdownGrace, String node,
    @DefaultValue("65536") int eventBuffer) {

  /** The values {@code errand.store.type} accepts. */
  public static final List<String> STORE_TYPES = List.of("memory", "sqlite", "postgres");

  /**
   * Checks the settings that are not the store's.
   *
   * @throws IllegalArgumentException naming the setting, its value and what is allowed
   */
  public ErrandProperties {
    if (shutdownGrace == null || shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("errand.shutdown-grace must be a duration >= 0 (such as"
          + " 30s), was " + shutdownGrace);
    }
    if (eventBuffer < 16 || eventBuffer > (1 << 26)) {
      throw new IllegalArgumentException("errand.event-buffer must be between 16 and 67108864,"
          + " was " + eventBuffer);
    }
    if (node != null && node.isBlank()) {
      throw new IllegalArgumentException("errand.node must not be blank (leave it unset for host"
          + " and pid)");
    }
  }

  /**
   * Where the tasks are kept.
   *
   * @param type        {@code memory} (the default: nothing survives a restart), {@code sqlite}
   *                    (one file, one process) or {@code postgres} (the application's
   *                    {@code DataSource}, shared by every node)
   * @param path        the SQLite file (with {@code type: sqlite}, required)
   * @param synchronous SQLite's commit durability, {@code NORMAL} (default) or {@code FULL}
   *                    ({@code type: sqlite} only)
   * @param schema      the PostgreSQL schema of Errand's tables (default {@code errand};
   *                    {@code type: postgres} only)
   */
  public record Store(@DefaultValue("memory") String type, String path, String synchronous,
      String schema) {

    /**
     * Checks the store settings against each other.
     *
     * @throws IllegalArgumentException naming the setting, its value and what is allowed
     */
    public Store {
      type = type == null ? null : type.trim().toLowerCase(Locale.ROOT);
      if (!STORE_TYPES.contains(type)) {
        throw new IllegalArgumentException("errand.store.type must be one of " + STORE_TYPES
            + ", was '" + type + "'");
      }
      if ("sqlite".equals(type) && (path == null || path.isBlank())) {
        throw new IllegalArgumentException("errand.store.path must name the SQLite file (such as"
            + " ./errand-data/errand.db) when errand.store.type is sqlite; it is not set");
      }
      onlyFor("path", path, "sqlite", type);
      onlyFor("synchronous", synchronous, "sqlite", type);
      onlyFor("schema", schema, "postgres", type);
      synchronous = synchronous == null ? "NORMAL" : synchronous.trim().toUpperCase(Locale.ROOT);
      if (!List.of("NORMAL", "FULL").contains(synchronous)) {
        throw new IllegalArgumentException("errand.store.synchronous must be NORMAL or FULL, was '"
            + synchronous + "'");
      }
      schema = schema == null ? "errand" : schema;
    }

    private static void onlyFor(String setting, String value, String storeType, String type) {
      if (value != null && !storeType.equals(type)) {
        throw new IllegalArgumentException("errand.store." + setting + " applies to"
            + " errand.store.type " + storeType + " only, and the type is '" + type + "'");
      }
    }
  }
}
