package io.errand.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.QueueSpec;
import io.errand.common.SubstitutedText;
import io.errand.server.config.ServerConfig.QueueConfig;
import io.errand.server.config.ServerConfig.Store;
import io.errand.server.config.ServerConfig.SupervisorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads what {@code errand serve} runs: a YAML or JSON config file, a single Yao task file
 * ({@code tasks/example.yao}), or a directory of task files, each of which becomes a queue named
 * after its file. Without a file, {@link #defaults(Path)} gives a demo set-up.
 *
 * <p>Every value may hold {@code ${NAME}} or {@code ${NAME:-default}}, replaced from the
 * environment given to the constructor. Every problem, from a missing file to a misspelt key or
 * a value out of range, is a {@link ConfigException} whose message is one line naming the file,
 * the key path and what would be right, so that start-up can stop with it as it is.
 * See {@code docs/config.md} for every key.
 */
public final class ConfigLoader {
  static final List<String> KEYS = List.of("server", "store", "data_dir", "plugins_dir",
      "shutdown_grace", "retention", "queues", "supervisors", "users", "tasks", "processes", "schedules");
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
  static final Duration RETENTION = Duration.ofHours(24);

  private final EnvSubstitution env;
  private final Map<String, String> variables;
  private final Set<Path> skipped;

  /**
   * A loader that takes {@code ${NAME}} values from {@code env}: {@code System.getenv()} in the
   * server, a map of its own in tests.
   */
  public ConfigLoader(Map<String, String> env) {
    this(env, Set.of());
  }

  /**
   * A loader that leaves out the task files in {@code skipped} (read live: the caller may add
   * to it between loads), for {@link ConfigCheck}, which checks those files on their own.
   */
  ConfigLoader(Map<String, String> env, Set<Path> skipped) {
    this.env = new EnvSubstitution(Objects.requireNonNull(env, "env"));
    this.variables = Map.copyOf(env);
    this.skipped = skipped;
  }

  /**
   * The config at {@code path}: a {@code .yaml}, {@code .yml} or {@code .json} config file, a
   * {@code .yao} task file, or a directory of task files. Relative paths in a config file are
   * taken from the file's directory; with a task file or directory, the data directory and
   * plugins directory are in the working directory, as without a config.
   *
   * @throws ConfigException with a one-line message naming the file, key and problem
   */
  public ServerConfig load(Path path) {
    Objects.requireNonNull(path, "path");
    if (!Files.exists(path)) {
      throw new ConfigException(path, "", "no such file or directory (looked for "
          + path.toAbsolutePath().normalize() + ")");
    }
    if (Files.isDirectory(path)) {
      return fromTaskDir(path);
    }
    return switch (ConfigFiles.extension(path)) {
      case "yaml", "yml", "json" -> fromConfigFile(path);
      case "yao", "jsonc" -> fromTaskFile(path);
      default -> throw new ConfigException(path, "", "is not a config file: use a .yaml, .yml"
          + " or .json config, a .yao task file, or a directory of task files");
    };
  }

  /**
   * The set-up without a config file: the API on 127.0.0.1:8080 without a token (or as
   * {@code ERRAND_BIND}, {@code ERRAND_PORT} and {@code ERRAND_TOKEN} say), SQLite in
   * {@code <workingDir>/errand-data/}, and one queue {@code demo} that runs the {@code demo}
   * handler with 4 workers and 3 attempts.
   */
  public ServerConfig defaults(Path workingDir) {
    QueueConfig demo = new QueueConfig("demo", "queues.demo", "demo", null, 4,
        QueueReader.CAPACITY, null, 3, QueueReader.BACKOFF, QueueReader.CANCEL_GRACE, RETENTION,
        QueueSpec.Threads.VIRTUAL, Map.of(), null, null, null);
    return withDefaults(null, workingDir, Map.of("demo", demo), Set.of());
  }

  /**
   * The config that {@code raw}, read from {@code file} (a config file or a task file, by its
   * extension), makes: how {@link ConfigCheck} loads a file again with bad keys taken out.
   *
   * @throws ConfigException with a one-line message naming the file, key and problem
   */
  ServerConfig loadTree(Path file, JsonNode raw) {
    return switch (ConfigFiles.extension(file)) {
      case "yaml", "yml", "json" -> fromConfigTree(file, raw);
      default -> withDefaults(file, Path.of(""), Map.of(ConfigFiles.baseName(file),
          readTaskTree(file, ConfigFiles.baseName(file), new QueueReader(RETENTION), raw)),
          Set.of());
    };
  }

  private ServerConfig fromConfigFile(Path file) {
    return fromConfigTree(file, ConfigFiles.read(file));
  }

  private ServerConfig fromConfigTree(Path file, JsonNode raw) {
    ConfigNode root = new ConfigNode(file, "", env.apply(file, raw));
    refuseTaskFile(root);
    root.allowOnly(KEYS);
    // Files named in the config are read relative to it; the shown names stay as short as the
    // user wrote them, while the paths handed to the server are absolute.
    Path dir = file.getParent() == null ? Path.of("") : file.getParent();
    Path base = dir.toAbsolutePath().normalize();
    Path dataDir = root.get("data_dir").path(base).orElse(base.resolve("errand-data"));
    Path pluginsDir = root.get("plugins_dir").path(base).orElse(base.resolve("plugins"));
    ServerConfig.Http http = HttpReader.read(root.get("server"));
    Set<String> secretEnv = new LinkedHashSet<>();
    if (http.token() != null) {
      secretEnv.addAll(SubstitutedText.variablesIn(root.get("server").get("token").raw()));
    }
    Store store = StoreReader.read(root.get("store"), base, dataDir, secretEnv);
    Duration grace = root.get("shutdown_grace").duration(null, true).orElse(SHUTDOWN_GRACE);
    Duration retention = root.get("retention").duration(null, false).orElse(RETENTION);
    QueueReader reader = new QueueReader(retention);

    Map<String, QueueConfig> queues = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : root.get("queues").entries().entrySet()) {
      requireName(e.getValue(), e.getKey(), "queue");
      queues.put(e.getKey(), reader.read(e.getKey(), e.getValue(), file));
    }
    ConfigNode tasks = root.get("tasks");
    if (tasks.isSet()) {
      Path tasksDir = dir.resolve(tasks.requireText("a directory of task files").strip())
          .normalize();
      if (!Files.isDirectory(tasksDir)) {
        throw tasks.error("must be a directory of task files, but "
            + tasksDir.toAbsolutePath().normalize() + (Files.exists(tasksDir)
            ? " is not a directory" : " does not exist"));
      }
      addTaskDir(tasksDir, reader, queues);
    }
    Map<String, SupervisorConfig> supervisors = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : root.get("supervisors").entries().entrySet()) {
      requireName(e.getValue(), e.getKey(), "supervisor");
      QueueConfig clash = queues.get(e.getKey());
      if (clash != null) {
        throw e.getValue().error("has the name of a queue (" + where(clash) + "); queues and"
            + " supervisors share one set of names, so rename one of them");
      }
      supervisors.put(e.getKey(), SupervisorReader.read(e.getKey(), e.getValue()));
    }
    var users = UserReader.read(root.get("users"), queues);
    var processes = ProcessReader.read(root.get("processes"), secretEnv);
    var schedules = ScheduleReader.read(root.get("schedules"), queues);
    secretEnv.addAll(reader.secretEnv());
    if (queues.isEmpty() && supervisors.isEmpty()) {
      throw root.get("queues").error("none are configured: add a queue under queues, a tasks"
          + " directory under tasks, or a supervisor under supervisors");
    }
    return new ServerConfig(file, http, store, dataDir, pluginsDir, grace,
        Collections.unmodifiableMap(queues), Collections.unmodifiableMap(supervisors), users,
        secretEnv, processes, schedules);
  }

  private ServerConfig fromTaskFile(Path file) {
    Map<String, QueueConfig> queues = new LinkedHashMap<>();
    String name = ConfigFiles.baseName(file);
    QueueReader reader = new QueueReader(RETENTION);
    queues.put(name, readTaskFile(file, name, reader));
    return withDefaults(file, Path.of(""), queues, reader.secretEnv());
  }

  private ServerConfig fromTaskDir(Path dir) {
    Map<String, QueueConfig> queues = new LinkedHashMap<>();
    QueueReader reader = new QueueReader(RETENTION);
    addTaskDir(dir, reader, queues);
    if (queues.isEmpty()) {
      throw new ConfigException(dir, "", "holds no task files; put queues in files ending in "
          + String.join(", ", ConfigFiles.TASK_EXTENSIONS.stream().sorted().map(e -> "." + e)
          .toList()));
    }
    return withDefaults(dir, Path.of(""), queues, reader.secretEnv());
  }

  /** Adds a queue per task file under {@code dir}, refusing a name that is taken. */
  private void addTaskDir(Path dir, QueueReader reader, Map<String, QueueConfig> queues) {
    for (Path f : ConfigFiles.taskFiles(dir)) {
      if (skipped.contains(f)) {
        continue;
      }
      String name = ConfigFiles.queueName(dir, f);
      QueueConfig taken = queues.get(name);
      if (taken != null) {
        throw new ConfigException(f, "", "defines queue '" + name + "', which " + where(taken)
            + " defines too; rename one of them");
      }
      queues.put(name, readTaskFile(f, name, reader));
    }
  }

  private QueueConfig readTaskFile(Path file, String name, QueueReader reader) {
    return readTaskTree(file, name, reader, ConfigFiles.read(file));
  }

  private QueueConfig readTaskTree(Path file, String name, QueueReader reader, JsonNode raw) {
    if (!QueueReader.validName(name)) {
      throw new ConfigException(file, "", "the file name makes the queue name '" + name
          + "', which is not valid; rename the file: " + QueueReader.nameRule());
    }
    JsonNode tree = env.apply(file, raw);
    return reader.read(name, new ConfigNode(file, "", tree), file);
  }

  /**
   * A config of defaults with {@code queues}, its directories in {@code workingDir}, listening
   * where {@code ERRAND_BIND}, {@code ERRAND_PORT} and {@code ERRAND_TOKEN} say (as a config
   * file's {@code ${ERRAND_PORT:-8080}} would).
   */
  private ServerConfig withDefaults(Path source, Path workingDir,
      Map<String, QueueConfig> queues, Set<String> secretEnv) {
    Path wd = workingDir.toAbsolutePath().normalize();
    Path dataDir = wd.resolve("errand-data");
    return new ServerConfig(source, HttpReader.fromEnvironment(variables),
        new Store(Store.Kind.SQLITE, dataDir.resolve("errand.db"),
            StoreReader.Synchronous.NORMAL.name()),
        dataDir, wd.resolve("plugins"), SHUTDOWN_GRACE, Collections.unmodifiableMap(queues),
        Map.of(), Map.of(), secretEnv);
  }

  /**
   * Refuses a task file given where a config file is expected, with advice: a {@code .json}
   * file given on its own is read as a config, so a Yao task file renamed {@code .json} would
   * otherwise get a list of config keys that do not help.
   */
  private static void refuseTaskFile(ConfigNode root) {
    for (String key : root.keys()) {
      // Only the keys no config has at its top: 'name' or 'timeout' there may just be slips.
      if (key.equals("handler") || key.equals("process")) {
        throw root.get(key).error("is a queue's key, not a config file's; this looks like a"
            + " task file: name it .yao or load the directory it is in (a config file lists"
            + " queues under queues)");
      }
    }
  }

  private static void requireName(ConfigNode node, String name, String kind) {
    if (!QueueReader.validName(name)) {
      throw node.error("is not a valid " + kind + " name: " + QueueReader.nameRule());
    }
  }

  /** Where a queue was defined, for messages about a second definition. */
  private static String where(QueueConfig q) {
    return q.file() + (q.path().isEmpty() ? "" : " at " + q.path());
  }
}
