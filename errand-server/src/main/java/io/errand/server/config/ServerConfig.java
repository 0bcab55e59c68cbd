package io.errand.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.Backoff;
import io.errand.api.QueueSpec;
import io.errand.api.RestartPolicy;
import io.errand.api.Schedule;
import io.errand.api.StopTimeouts;
import io.errand.common.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@code errand serve} runs, as read from a config file (or the defaults when there
 * is none). Values are checked when loaded; maps keep the file's order.
 *
 * @param source        the file it was read from, or null for the built-in defaults
 * @param http          where and how the HTTP API listens
 * @param store         where tasks are kept
 * @param dataDir       the directory for the SQLite file and workspaces by default
 * @param pluginsDir    the directory whose jars hold more handlers ({@code plugins/} beside the
 *                      config file, or in the working directory without one)
 * @param shutdownGrace how long a shutdown waits for running tasks before cancelling them
 * @param queues        the queues, by name
 * @param supervisors   the supervisors (one live task per key), by name
 * @param users         named sync targets (seed 000's users), by name
 * @param secretEnv     the environment variables behind the secrets the file itself holds
 *                      ({@code server.token}, credentials in webhook URLs): kept, with
 *                      {@code ERRAND_TOKEN} and those of handlers' secret options, from the
 *                      programs tasks run
 * @param processes     Yao process names bound to what runs them ({@code processes}), by name
 * @param schedules     the schedules declared in the file ({@code schedules}), by name
 */
public record ServerConfig(
    Path source,
    Http http,
    Store store,
    Path dataDir,
    Path pluginsDir,
    Duration shutdownGrace,
    Map<String, QueueConfig> queues,
    Map<String, SupervisorConfig> supervisors,
    Map<String, UserConfig> users,
    Set<String> secretEnv,
    Map<String, ProcessConfig> processes,
    Map<String, ScheduleConfig> schedules) {

  /**
   * Keeps {@code secretEnv}, {@code processes} and {@code schedules} unmodifiable; null means
   * none.
   */
  public ServerConfig {
    secretEnv = secretEnv == null ? Set.of() : Set.copyOf(secretEnv);
    processes = processes == null ? Map.of() : Map.copyOf(processes);
    schedules = schedules == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
  }

  /**
   * A config without schedules, as the record had before {@code schedules} was added; kept so
   * that code written against that shape still compiles.
   */
  public ServerConfig(Path source, Http http, Store store, Path dataDir, Path pluginsDir,
      Duration shutdownGrace, Map<String, QueueConfig> queues,
      Map<String, SupervisorConfig> supervisors, Map<String, UserConfig> users,
      Set<String> secretEnv, Map<String, ProcessConfig> processes) {
    this(source, http, store, dataDir, pluginsDir, shutdownGrace, queues, supervisors, users,
        secretEnv, processes, Map.of());
  }

  /**
   * A config without process bindings, as the record had before {@code processes} was added;
   * kept so that code written against that shape still compiles.
   */
  public ServerConfig(Path source, Http http, Store store, Path dataDir, Path pluginsDir,
      Duration shutdownGrace, Map<String, QueueConfig> queues,
      Map<String, SupervisorConfig> supervisors, Map<String, UserConfig> users,
      Set<String> secretEnv) {
    this(source, http, store, dataDir, pluginsDir, shutdownGrace, queues, supervisors, users,
        secretEnv, Map.of());
  }

  /**
   * A config whose file names no secret variables, as the record had before {@code secretEnv}
   * was added; kept so that code written against that shape still compiles.
   */
  public ServerConfig(Path source, Http http, Store store, Path dataDir, Path pluginsDir,
      Duration shutdownGrace, Map<String, QueueConfig> queues,
      Map<String, SupervisorConfig> supervisors, Map<String, UserConfig> users) {
    this(source, http, store, dataDir, pluginsDir, shutdownGrace, queues, supervisors, users,
        Set.of());
  }

  /** This config listening as {@code http} says instead (command-line overrides, tests). */
  public ServerConfig withHttp(Http http) {
    return new ServerConfig(source, http, store, dataDir, pluginsDir, shutdownGrace, queues,
        supervisors, users, secretEnv, processes, schedules);
  }

  /**
   * The HTTP listener.
   *
   * @param bind         the address to bind; a non-loopback one needs a token
   * @param port         the port; 0 picks a free one
   * @param token        the bearer token every {@code /api} request must carry, or null for none
   * @param maxBodyBytes the largest request body accepted
   */
  public record Http(String bind, int port, Secret token, long maxBodyBytes) {}

  /**
   * The task store.
   *
   * @param kind        SQLITE (the default), MEMORY or POSTGRES
   * @param path        the SQLite file (SQLITE only)
   * @param synchronous SQLite's synchronous setting: NORMAL (the default) or FULL (SQLITE only)
   * @param postgres    the database many servers share (POSTGRES only)
   * @param errorTraceLimit how many characters of a failed attempt's stack trace are kept
   */
  public record Store(Kind kind, Path path, String synchronous, Postgres postgres,
      int errorTraceLimit) {
    /** A store keeping the default length of stack traces. */
    public Store(Kind kind, Path path, String synchronous, Postgres postgres) {
      this(kind, path, synchronous, postgres, io.errand.api.TaskError.DEFAULT_TRACE_LIMIT);
    }

    /** A SQLite or memory store. */
    public Store(Kind kind, Path path, String synchronous) {
      this(kind, path, synchronous, null);
    }

    /** The kinds of store the server can use. */
    public enum Kind { SQLITE, MEMORY, POSTGRES }

    /**
     * A PostgreSQL store.
     *
     * @param url       the JDBC URL ({@code jdbc:postgresql://host:port/database})
     * @param user      the user, or null for the driver's default
     * @param password  the password, or null for none
     * @param schema    the schema that holds Errand's tables
     * @param heartbeat how often this server says it is alive
     * @param lease     how long other servers wait for a silent one before running its tasks
     */
    public record Postgres(String url, String user, Secret password, String schema,
        Duration heartbeat, Duration lease) {}
  }

  /**
   * One queue. Yao's key names are read into the same fields.
   *
   * @param name        the queue's name
   * @param path        its key path in the file, e.g. {@code queues.mail} (for later errors);
   *                    empty when the file is a task file that holds just this queue
   * @param handler     the handler's name (Yao: {@code process})
   * @param options     the handler's options block, or null
   * @param workers     Yao {@code worker_nums}
   * @param capacity    Yao {@code size}
   * @param timeout     per attempt (Yao {@code timeout}, in seconds there), or null for none
   * @param attempts    Yao {@code attempts}
   * @param backoff     the wait before retries (Yao {@code attempt_after}, in ms there)
   * @param cancelGrace how long a cancelled attempt may take to stop
   * @param retention   how long finished tasks stay
   * @param threads     virtual or platform worker threads
   * @param events      Yao {@code event.{add,success,error,progress}}: event name to target (a
   *                    webhook URL, or a handler name that is called with the event)
   * @param next        Yao {@code event.next}: the name of a handler that returns new task ids,
   *                    or null to let the store number them
   * @param label       a name to show people (Yao's {@code name}, e.g. "示例任务"), or null
   * @param file        the file the queue was read from: the config file, or the task file of a
   *                    tasks directory or a single Yao file; null for the built-in defaults
   * @param handlerKey  the key the file gave the handler under: {@code handler}, or Yao's
   *                    {@code process}, so that errors name the key the file has
   * @param eventsKey   likewise {@code events}, or Yao's {@code event}
   * @param concurrency the most running tasks of the queue on every node together, or null
   * @param flow        its per-key limits, fairness and rate limits, or null for none
   */
  public record QueueConfig(
      String name,
      String path,
      String handler,
      JsonNode options,
      int workers,
      int capacity,
      Duration timeout,
      int attempts,
      Backoff backoff,
      Duration cancelGrace,
      Duration retention,
      QueueSpec.Threads threads,
      Map<String, String> events,
      String next,
      String label,
      Path file,
      String handlerKey,
      String eventsKey,
      Integer concurrency,
      QueueFlow flow) {

    /** A queue whose file uses Errand's key names, as the record had before they were kept. */
    public QueueConfig(String name, String path, String handler, JsonNode options, int workers,
        int capacity, Duration timeout, int attempts, Backoff backoff, Duration cancelGrace,
        Duration retention, QueueSpec.Threads threads, Map<String, String> events, String next,
        String label, Path file) {
      this(name, path, handler, options, workers, capacity, timeout, attempts, backoff,
          cancelGrace, retention, threads, events, next, label, file, "handler", "events", null,
          null);
    }

    /**
     * A queue without a label or file, as the record had before those were added; kept so that
     * code written against that shape still compiles.
     */
    public QueueConfig(String name, String path, String handler, JsonNode options, int workers,
        int capacity, Duration timeout, int attempts, Backoff backoff, Duration cancelGrace,
        Duration retention, QueueSpec.Threads threads, Map<String, String> events, String next) {
      this(name, path, handler, options, workers, capacity, timeout, attempts, backoff,
          cancelGrace, retention, threads, events, next, null, null);
    }

    /**
     * The key path of {@code key} of this queue in {@link #file()}, e.g. {@code
     * queues.mail.options} for {@code options}; just {@code options} when the queue is a task
     * file of its own (its {@link #path()} is then empty). Give it to
     * {@code HandlerSettings} so errors point at the right key.
     */
    public String pathOf(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    /** The key path of the handler's name as the file gives it ({@code process} in Yao's). */
    public String handlerPath() {
      return pathOf(handlerKey);
    }

    /** The key path of event {@code event} ({@code add}, {@code next}...) as the file has it. */
    public String eventPath(String event) {
      return pathOf(eventsKey + "." + event);
    }
  }

  /**
   * What runs a Yao process name ({@code processes.<name>}): a handler with its options, or
   * (for events only) a webhook URL. A task file's {@code process} and {@code event.*} name
   * these, so the file itself stays as Yao wrote it.
   *
   * @param name    the process name, e.g. {@code scripts.task.Send}
   * @param path    its key path, e.g. {@code processes.scripts.task.Send}
   * @param handler the handler that runs it, or null when it is a URL
   * @param options the handler's options, or null
   * @param url     the webhook URL an event posts to, or null when it is a handler
   */
  public record ProcessConfig(String name, String path, String handler, JsonNode options,
      String url) {}

  /**
   * One supervisor: keeps exactly one live task per key.
   *
   * @param name             its name
   * @param path             its key path in the file
   * @param handler          the handler each key runs
   * @param options          the handler's options block, or null
   * @param restart          when crashed keys start again
   * @param stopTimeouts     the staged stop's time-outs
   * @param heartbeatTimeout how long a key may go without a heartbeat, or null for no check
   * @param threads          virtual or platform threads for the keys' instances
   */
  public record SupervisorConfig(
      String name,
      String path,
      String handler,
      JsonNode options,
      RestartPolicy restart,
      StopTimeouts stopTimeouts,
      Duration heartbeatTimeout,
      QueueSpec.Threads threads) {

    /**
     * A supervisor on virtual threads, as the record had before {@code threads} was added; kept
     * so that code written against that shape still compiles.
     */
    public SupervisorConfig(String name, String path, String handler, JsonNode options,
        RestartPolicy restart, StopTimeouts stopTimeouts, Duration heartbeatTimeout) {
      this(name, path, handler, options, restart, stopTimeouts, heartbeatTimeout,
          QueueSpec.Threads.VIRTUAL);
    }

    /** The key path of {@code key} of this supervisor, e.g. {@code supervisors.sync.options}. */
    public String pathOf(String key) {
      return path + "." + key;
    }
  }

  /**
   * A named sync target: {@code errand sync <name>} submits {@code args} to {@code queue}.
   *
   * @param name  the user's name
   * @param queue the queue to submit to
   * @param args  the task's arguments
   */
  public record UserConfig(String name, String queue, JsonNode args) {}

  /**
   * A schedule declared in the file: created at start-up, or updated to this definition when
   * the store already has one of its name.
   *
   * @param name     its name
   * @param path     its key path in the file, for messages
   * @param schedule the checked definition
   */
  public record ScheduleConfig(String name, String path, Schedule schedule) {}
}
