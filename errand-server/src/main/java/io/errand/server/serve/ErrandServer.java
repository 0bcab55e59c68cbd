package io.errand.server.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.errand.api.DurationText;
import io.errand.api.Errand;
import io.errand.api.ErrandException;
import io.errand.api.QueueSpec;
import io.errand.api.ShutdownReport;
import io.errand.api.SupervisorSpec;
import io.errand.api.TaskHandler;
import io.errand.common.SettingException;
import io.errand.memory.MemoryStore;
import io.errand.postgres.PostgresStore;
import io.errand.server.config.ConfigException;
import io.errand.server.config.ServerConfig.QueueConfig;
import io.errand.server.config.ServerConfig.SupervisorConfig;
import io.errand.server.config.ServerConfig;
import io.errand.server.handler.HandlerSettings;
import io.errand.server.handler.SecretEnv;
import io.errand.http.ApiServer;
import io.errand.server.plugin.PluginSettings;
import io.errand.server.plugin.ServerPlugin;
import io.errand.server.process.Children;
import io.errand.server.process.Survivors;
import io.errand.spi.TaskStore;
import io.errand.sqlite.SqliteStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running errand server: the queues and supervisors of a {@link ServerConfig} on its store,
 * their hooks, and the HTTP API. {@link #start} checks everything before it takes any task;
 * {@link #shutdown} drains the way the core does, answering 503 to submits meanwhile.
 */
public final class ErrandServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ErrandServer.class);
  /** How long programs a previous run left running get after TERM, at the start. */
  private static final Duration SURVIVOR_GRACE = Duration.ofSeconds(2);

  private final ServerConfig config;
  private final Errand errand;
  private final EventHooks hooks;
  private final ApiServer api;
  private final int port;
  private final AtomicReference<ShutdownReport> report = new AtomicReference<>();

  private ErrandServer(ServerConfig config, Errand errand, EventHooks hooks, ApiServer api,
      int port) {
    this.config = config;
    this.errand = errand;
    this.hooks = hooks;
    this.api = api;
    this.port = port;
  }

  /**
   * Starts the server of {@code config}.
   *
   * @throws ConfigException when a handler, hook or setting is wrong (one line, naming the key)
   * @throws PortInUseException when another program listens on the port; nothing is created
   * @throws IllegalStateException when the store or the port cannot be opened
   */
  public static ErrandServer start(ServerConfig config) {
    try {
      return assemble(config);
    } catch (SettingException e) {
      throw new ConfigException(config.source(), e);
    }
  }

  private static ErrandServer assemble(ServerConfig config) {
    // Before anything is created (the data directory, the store): a server that cannot listen
    // must leave nothing behind.
    PortInUseException.requireFree(config.http().bind(), config.http().port());
    // Before any task is recovered or key started: a recovered task must not run beside what
    // its previous attempt left running.
    Survivors.end(config.dataDir(), SURVIVOR_GRACE);
    HandlerRegistry registry = HandlerRegistry.load(config.pluginsDir(), config.processes());
    // Filled while the handlers are created; complete before any task runs.
    SecretEnv secretEnv = new SecretEnv(config.secretEnv());
    Errand.Builder builder = Errand.builder().shutdownGrace(config.shutdownGrace())
        .errorTraceLimit(config.store().errorTraceLimit());
    for (QueueConfig q : config.queues().values()) {
      try {
        builder.queue(queueSpec(q, registry, config, secretEnv));
      } catch (SettingException e) { // a queue of a task file: name that file
        throw q.file() != null ? new ConfigException(q.file(), e) : e;
      }
    }
    for (SupervisorConfig s : config.supervisors().values()) {
      TaskHandler<Object, Object> h = registry.create(s.handler(), s.pathOf("handler"),
          new HandlerSettings(s.name(), s.pathOf("options"), s.options(), config.dataDir(),
              secretEnv));
      SupervisorSpec.Builder<Object> spec = SupervisorSpec.builder(s.name(), Object.class,
          ctx -> h.run(ctx)).restart(s.restart()).stopTimeouts(s.stopTimeouts())
          .threads(s.threads());
      if (s.heartbeatTimeout() != null) {
        spec.heartbeatTimeout(s.heartbeatTimeout());
      }
      builder.supervisor(spec.build());
    }
    ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    EventHooks hooks = EventHooks.start(config.queues().values(), registry, config.dataDir(),
        secretEnv, json);
    if (!hooks.isEmpty()) {
      builder.listener("hooks", hooks);
    }
    TaskStore taskStore = store(config.store());
    taskStore.cluster().ifPresent(hooks::shareWith);
    builder.store(taskStore);
    Errand errand = builder.build();
    try {
      declareSchedules(config, errand);
    } catch (RuntimeException e) {
      errand.shutdown(Duration.ZERO);
      hooks.close(Duration.ZERO);
      throw e;
    }
    ApiServer.Builder apiSettings = ApiServer.builder(errand).bind(config.http().bind())
        .port(config.http().port()).token(config.http().token())
        .maxBodyBytes(config.http().maxBodyBytes()).labels(labels(config));
    PluginSettings pluginSettings = pluginSettings(config);
    for (ServerPlugin p : registry.plugins()) {
      p.routes(pluginSettings).forEach(apiSettings::routes);
    }
    ApiServer api = apiSettings.build();
    int port;
    try {
      port = api.start();
    } catch (RuntimeException e) {
      errand.shutdown(Duration.ZERO);
      hooks.close(Duration.ZERO);
      Children.of(config.dataDir()).killAll();
      if (PortInUseException.isBindFailure(e)) { // taken since the check above
        throw new PortInUseException(config.http().bind(), config.http().port(), e);
      }
      throw e;
    }
    return new ErrandServer(config, errand, hooks, api, port);
  }

  private static Map<String, String> labels(ServerConfig config) {
    Map<String, String> out = new HashMap<>();
    config.queues().values().stream().filter(q -> q.label() != null)
        .forEach(q -> out.put(q.name(), q.label()));
    return out;
  }

  private static QueueSpec<Object, Object> queueSpec(QueueConfig q, HandlerRegistry registry,
      ServerConfig config, SecretEnv secretEnv) {
    TaskHandler<Object, Object> h = registry.create(q.handler(), q.handlerPath(),
        new HandlerSettings(q.name(), q.pathOf("options"), q.options(), config.dataDir(),
            secretEnv));
    warnIfGraceOutlasts(q, config.store());
    QueueSpec.Builder<Object, Object> spec = QueueSpec.builder(q.name(), Object.class, h)
        .workers(q.workers()).capacity(q.capacity()).timeout(q.timeout())
        .attempts(q.attempts()).backoff(q.backoff()).cancelGrace(q.cancelGrace())
        .retention(q.retention()).threads(q.threads());
    if (q.concurrency() != null) {
      spec.concurrency(q.concurrency());
    }
    if (q.flow() != null) {
      q.flow().applyTo(spec);
    }
    if (q.next() != null) {
      String at = q.eventPath("next");
      spec.idGenerator(new HookIds(q.name(), registry.create(q.next(), at,
          new HandlerSettings(q.name(), at, null, config.dataDir(), secretEnv))));
    }
    return spec.build();
  }

  /**
   * An exec program's grace longer than its queue's cancel grace: a program that ignores TERM
   * is still running when the engine gives up on its attempt. It is still killed (by the
   * handler, at the latest at the end of a shutdown), but the operator should know. Likewise a
   * grace longer than a shared store's lease: after a crash of this server, its guard gives
   * such a program that long, while another node may rescue the task after the lease.
   */
  private static void warnIfGraceOutlasts(QueueConfig q, ServerConfig.Store store) {
    JsonNode g = q.options() == null ? null : q.options().get("grace");
    if (!"exec".equals(q.handler()) || g == null || !g.isTextual()) {
      return;
    }
    Duration grace;
    try {
      grace = DurationText.parse(g.asText());
    } catch (RuntimeException e) {
      return; // the handler has checked it; nothing to compare
    }
    if (grace.compareTo(q.cancelGrace()) > 0) {
      log.warn("{}: grace {} is longer than the queue's cancel_grace {}: a cancelled program"
          + " that ignores TERM outlives its attempt by up to {} (a shutdown kills it before"
          + " the server exits); make cancel_grace longer than grace", q.pathOf("options.grace"),
          DurationText.format(grace), DurationText.format(q.cancelGrace()),
          DurationText.format(grace.minus(q.cancelGrace())));
    }
    if (store.kind() == ServerConfig.Store.Kind.POSTGRES
        && grace.compareTo(store.postgres().lease()) >= 0) {
      log.warn("{}: grace {} is not shorter than store.lease {}: if this server dies, another"
          + " node may run a rescued task while its program, ignoring TERM, still has its grace;"
          + " make grace shorter than the lease", q.pathOf("options.grace"),
          DurationText.format(grace), DurationText.format(store.postgres().lease()));
    }
  }

  /** The store of {@code store}, behind the mask that keeps URL passwords out of it. */
  private static TaskStore store(ServerConfig.Store store) {
    return new PasswordMaskingStore(openStore(store));
  }

  private static TaskStore openStore(ServerConfig.Store store) {
    if (store.kind() == ServerConfig.Store.Kind.MEMORY) {
      return new MemoryStore();
    }
    if (store.kind() == ServerConfig.Store.Kind.POSTGRES) {
      ServerConfig.Store.Postgres pg = store.postgres();
      PostgresStore.Builder b = PostgresStore.builder(pg.url()).schema(pg.schema())
          .heartbeat(pg.heartbeat()).lease(pg.lease());
      if (pg.user() != null) {
        b.user(pg.user());
      }
      if (pg.password() != null) {
        b.password(pg.password().reveal());
      }
      return b.build();
    }
    try {
      Files.createDirectories(store.path().toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new SettingException("store.path", "cannot create the directory of "
          + store.path() + ": " + e.getMessage());
    }
    return SqliteStore.builder(store.path())
        .synchronous(SqliteStore.Synchronous.valueOf(store.synchronous())).build();
  }

  /** What the plugins read of the config: its {@code users:} section, in the config's order. */
  private static PluginSettings pluginSettings(ServerConfig config) {
    Map<String, PluginSettings.User> users = new LinkedHashMap<>();
    config.users().forEach((name, u) -> users.put(name,
        new PluginSettings.User(u.name(), u.queue(), u.args())));
    return new PluginSettings(users);
  }

  /** The port the API listens on. */
  public int port() {
    return port;
  }

  /** The API's base URL, e.g. {@code http://127.0.0.1:8080}. */
  public URI url() {
    String host = config.http().bind().contains(":") ? "[" + config.http().bind() + "]"
        : config.http().bind();
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    return URI.create("http://" + host + ":" + port);
  }

  /**
   * Creates each schedule of the config, or updates the store's schedule of its name to the
   * file's definition (schedules created through the API are left as they are).
   *
   * @throws ConfigException naming the schedule's key if the store keeps no schedules or
   *     refuses the definition
   */
  private static void declareSchedules(ServerConfig config, Errand errand) {
    for (ServerConfig.ScheduleConfig s : config.schedules().values()) {
      try {
        if (errand.schedules().get(s.name()).isPresent()) {
          errand.schedules().update(s.schedule());
        } else {
          errand.schedules().create(s.schedule());
        }
      } catch (ErrandException e) {
        throw new ConfigException(config.source(), s.path(), e.getMessage());
      }
    }
  }

  /** The Errand it runs, for embedding and tests. */
  public Errand errand() {
    return errand;
  }

  /** The config it runs. */
  public ServerConfig config() {
    return config;
  }

  /**
   * Refuses every submit from its return on (503 {@code shutting_down}), without waiting for
   * anything: the first step of {@link #shutdown}, for a caller that announces the drain and
   * must not accept a task after the announcement. Idempotent.
   */
  public void stopAccepting() {
    errand.stopAccepting();
  }

  /**
   * Drains and stops: submits get 503 at once; running tasks get the config's shutdown grace to
   * finish, then are cancelled (with SQLite, requeued for the next start); hooks deliver what
   * they hold; then the port closes. Calling it again returns the first report.
   */
  public synchronized ShutdownReport shutdown() {
    ShutdownReport done = report.get();
    if (done != null) {
      return done;
    }
    log.info("shutting down: draining for up to {}", config.shutdownGrace());
    ShutdownReport r = errand.shutdown(config.shutdownGrace());
    hooks.close(Duration.ofSeconds(5));
    // A task abandoned by the drain may still be in its program's grace (a program that ignores
    // TERM, a grace longer than the queue's cancel_grace): nothing may outlive the server.
    int killed = Children.of(config.dataDir()).killAll();
    if (killed > 0) {
      log.warn("killed {} processes that the drain left running", killed);
    }
    api.stop();
    report.set(r);
    log.info("stopped: {}", r);
    return r;
  }

  @Override
  public void close() {
    shutdown();
  }
}
