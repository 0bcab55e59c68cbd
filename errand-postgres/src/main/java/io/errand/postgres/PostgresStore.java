package io.errand.postgres;

import io.errand.api.ErrandException;
import io.errand.api.InvalidTaskException;
import io.errand.jdbc.OpenState;
import io.errand.spi.ClusterStore;
import io.errand.spi.Groups;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoreContext;
import io.errand.spi.QueueControls;
import io.errand.spi.SupervisedKeys;
import io.errand.spi.TaskHistory;
import io.errand.spi.TaskSearch;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The cluster store: many nodes (processes) share the tasks of one PostgreSQL database.
 *
 * <pre>{@code
 * Errand errand = Errand.builder()
 *     .store(PostgresStore.builder("jdbc:postgresql://db:5432/app").user("app")
 *         .password(secret).build())
 *     .queue(...)
 *     .build();
 * }</pre>
 *
 * <p><b>What holds across nodes.</b> A task is claimed by one node at a time
 * ({@code FOR UPDATE SKIP LOCKED}); every change of a running task is fenced by its attempt, so
 * a late worker never overwrites a newer attempt; one live task per queue and key, however
 * many nodes submit it at once (a unique index); {@code finishAndClaim} is one transaction.
 * No lock serializes submits: a node's concurrent submits share one transaction (one multi-row
 * insert, one commit, one {@code NOTIFY}), and a submit returns after that commit. Capacity is
 * exact among one node's submits; across nodes a queue may get more WAITING tasks than its
 * capacity by at most what the other nodes have in flight at that moment (each at most 256
 * rows), since no node waits for another's commit to count. New work and cancel requests reach the other
 * nodes with {@code NOTIFY} at commit, so pickup and cross-node cancel take milliseconds.
 *
 * <p><b>Nodes and leases.</b> Each open store has a row in {@code <schema>.nodes}, refreshed
 * every {@link Builder#heartbeat} (the database's clock, not the node's). When a node's
 * heartbeat is older than {@link Builder#lease} (it crashed, or lost the database), any live
 * node puts its RUNNING tasks back to WAITING, their attempt counted (at-least-once): checked
 * when a store opens and at every heartbeat. So a task of a crashed node runs again after at
 * most about a lease plus a heartbeat. A node that was only slow, not dead, finds its tasks
 * gone: its workers' late changes are fenced out, and it writes its row again. {@link #close}
 * removes the node's row.
 *
 * <p><b>Idle and missed notifications.</b> Idle workers poll nothing: they wait for a NOTIFY,
 * their queue's next delayed task, or the node's {@link Builder#sweep} (one statement for all
 * of the node's queues, default every 5 s), which catches due work and cancel requests that
 * notifications missed. A listener that reconnects wakes every queue it knows and repeats its
 * own tasks' cancel requests. Where notifications cannot reach the node at all (a
 * transaction-pooling pgbouncer), its listener notices at connect, warns once, and the sweep
 * runs every {@link #FALLBACK_SWEEP}: pickup then takes up to that long.
 *
 * <p><b>What does not hold.</b> Retries, requeues and rescues put tasks back without checking
 * capacity. A task's end is an event (listeners, the server's stream, the metrics' counts) on the
 * node that ended it only, and a batch's BATCH_FINISHED comes only if the node that submitted the
 * batch ended all of its tasks; {@code Errand.await} on another node learns of an end by reading
 * the store, within half a second ({@link #shared}).
 *
 * <p><b>Transactional enqueue.</b> {@link io.errand.spi.Tasks#insert(java.sql.Connection,
 * io.errand.spi.NewTask)} inserts inside the caller's transaction through a savepoint; its
 * {@code NOTIFY} goes out at the caller's commit, to every node (this one too).
 *
 * <p><b>Payloads</b> are JSON (through the engine's codec), limited as in the SQLite store by
 * {@link Builder#maxPayloadBytes}. <b>The schema</b> (default {@code errand}) is versioned and
 * migrated when the store opens; a schema written by a newer Errand, or one holding other
 * tables, is refused and left untouched.
 */
public final class PostgresStore implements TaskStore {
  /** Default of {@link Builder#maxPayloadBytes}: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
  /** Default of {@link Builder#sweep}: 5 s. */
  public static final Duration DEFAULT_SWEEP = Duration.ofSeconds(5);
  /** Default of {@link Builder#eventRetention}: 1 hour. */
  public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofHours(1);
  /** The sweep interval when notifications cannot reach the node (at most): 1 s. */
  public static final Duration FALLBACK_SWEEP = Duration.ofSeconds(1);

  private final Builder config;
  private final OpenState<Opened> state = new OpenState<>("the PostgreSQL store",
      "make a new PostgresStore to open it again");
  private final PostgresTasks tasks = new PostgresTasks(state::get);
  private final PostgresGroups groups = new PostgresGroups(state::get);
  private final PostgresKeys keys = new PostgresKeys(state::get);
  private final PostgresSchedules schedules = new PostgresSchedules(this);
  private final PostgresSearch search = new PostgresSearch(state::get);
  private final PostgresHistory history;
  private final PostgresControls controls;
  private final PostgresCluster cluster;

  private PostgresStore(Builder config) {
    this.config = config;
    this.controls = new PostgresControls(state::get, config.schema);
    this.history = new PostgresHistory(state::get, config.schema);
    this.cluster = new PostgresCluster(this, config.schema);
  }

  /** A builder of a store on the database at {@code jdbcUrl} ({@code jdbc:postgresql:...}). */
  public static Builder builder(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, was "
          + Database.redact(jdbcUrl));
    }
    return new Builder(jdbcUrl, null);
  }

  /**
   * A builder of a store on {@code dataSource}, used as it is (the store does not close it).
   * The store holds one of its connections for good, to listen for notifications.
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** Options of a {@link PostgresStore}. Each setter refuses a bad value at once. */
  public static final class Builder {
    final String jdbcUrl;
    final DataSource dataSource;
    String user;
    String password;
    String schema = "errand";
    int poolSize = 10;
    Duration heartbeat = Duration.ofSeconds(5);
    Duration lease = Duration.ofSeconds(30);
    int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    Duration sweep = DEFAULT_SWEEP;
    String listenUrl;
    Duration eventRetention = DEFAULT_EVENT_RETENTION;

    private Builder(String jdbcUrl, DataSource dataSource) {
      this.jdbcUrl = jdbcUrl;
      this.dataSource = dataSource;
    }

    /** The database user (with a JDBC URL only). */
    public Builder user(String user) {
      requireUrl("user");
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /** The user's password (with a JDBC URL only); it never appears in logs or errors. */
    public Builder password(String password) {
      requireUrl("password");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * The schema of the store's tables, created if missing; default {@code errand}. A
     * lower-case SQL name of at most 40 characters. Stores on different schemas of one
     * database are independent.
     */
    public Builder schema(String schema) {
      this.schema = Schema.checkName(schema);
      return this;
    }

    /** The most connections the store's pool opens (with a JDBC URL only); default 10. */
    public Builder poolSize(int poolSize) {
      requireUrl("poolSize");
      if (poolSize < 1) {
        throw new IllegalArgumentException("poolSize must be >= 1, was " + poolSize);
      }
      this.poolSize = poolSize;
      return this;
    }

    /** How often this node records that it lives and looks for dead ones; default 5 s. */
    public Builder heartbeat(Duration heartbeat) {
      if (heartbeat.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException("heartbeat must be >= 10ms, was " + heartbeat);
      }
      this.heartbeat = heartbeat;
      return this;
    }

    /**
     * How long a node may go without a heartbeat before it is presumed dead and its running
     * tasks run again elsewhere; default 30 s. At least twice the heartbeat (checked at
     * {@link #build}).
     */
    public Builder lease(Duration lease) {
      this.lease = Objects.requireNonNull(lease, "lease");
      return this;
    }

    /**
     * The largest JSON form, in UTF-8 bytes, of a task's arguments, result, a chain step's
     * previous result or a supervised key's arguments; default 1 MiB. Larger arguments are
     * refused with an {@link io.errand.api.InvalidTaskException}; a larger result fails its task.
     */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      if (maxPayloadBytes < 1) {
        throw new IllegalArgumentException("maxPayloadBytes must be >= 1, was "
            + maxPayloadBytes);
      }
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /**
     * How often the node looks, with one statement for all of its queues, for due work and
     * cancel requests that notifications did not bring (a listener reconnecting, a delayed task
     * of another node coming due); default 5 s. Idle workers poll nothing themselves, so this
     * and the heartbeat are what an idle node costs the database. When notifications cannot
     * reach the node (see {@link #listenUrl}) the sweep runs every {@link #FALLBACK_SWEEP} or
     * this, whichever is shorter. From 10 ms to 1 hour.
     */
    public Builder sweep(Duration sweep) {
      Objects.requireNonNull(sweep, "sweep");
      if (sweep.compareTo(Duration.ofMillis(10)) < 0 || sweep.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("sweep must be from 10ms to 1h, was " + sweep);
      }
      this.sweep = sweep;
      return this;
    }

    /**
     * A JDBC URL for the one connection that listens for notifications, when the pool's
     * connections cannot (they go through a transaction-pooling pgbouncer, whose server
     * connections change at each transaction): a direct connection to the same database. The
     * store's user and password apply unless the URL has its own. Whatever the URL, the store
     * checks at each connect that its notifications arrive; if they do not, it logs one
     * warning and relies on the {@link #sweep}.
     */
    public Builder listenUrl(String listenUrl) {
      Objects.requireNonNull(listenUrl, "listenUrl");
      if (!listenUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("listenUrl must start with jdbc:postgresql:, was "
            + Database.redact(listenUrl));
      }
      this.listenUrl = listenUrl;
      return this;
    }

    /**
     * How long the cluster's event log keeps an event (what a client reconnecting with
     * {@code Last-Event-ID}, on any node, can still be sent); default 1 hour. From 1 minute
     * to 30 days.
     */
    public Builder eventRetention(Duration eventRetention) {
      Objects.requireNonNull(eventRetention, "eventRetention");
      if (eventRetention.compareTo(Duration.ofMinutes(1)) < 0
          || eventRetention.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException("eventRetention must be from 1m to 30d, was "
            + eventRetention);
      }
      this.eventRetention = eventRetention;
      return this;
    }

    /**
     * The store, not yet connected (the engine opens it).
     *
     * @throws IllegalArgumentException if the lease is shorter than twice the heartbeat
     */
    public PostgresStore build() {
      if (lease.compareTo(heartbeat.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException("lease must be at least twice the heartbeat ("
            + heartbeat + "), was " + lease);
      }
      return new PostgresStore(this);
    }

    private void requireUrl(String setting) {
      if (jdbcUrl == null) {
        throw new IllegalStateException(setting + " applies to a store built from a JDBC URL; "
            + "configure the DataSource instead");
      }
    }
  }

  /**
   * Connects, migrates the schema, registers this node, starts its listener and heartbeat,
   * and rescues the tasks of dead nodes.
   *
   * @throws io.errand.api.ErrandException ({@code store_failed}) if the database cannot be reached;
   *                                the message names it without its password
   * @throws IllegalStateException  if the schema is newer than this Errand or not Errand's, or
   *                                if the store was opened before
   */
  @Override
  public void open(StoreContext context) {
    state.open(() -> Opened.open(config, context));
  }

  /** Always true: tasks survive the process. */
  @Override
  public boolean durable() {
    return true;
  }

  /** Yes: other nodes end tasks too. */
  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public Tasks tasks() {
    return tasks;
  }

  @Override
  public Groups groups() {
    return groups;
  }

  @Override
  public SupervisedKeys keys() {
    return keys;
  }

  /** Pauses kept in the database, shared by every node on it and kept across restarts. */
  @Override
  public QueueControls controls() {
    return controls;
  }

  /**
   * The schedules kept in the database beside the tasks, shared by every node on it; an
   * occurrence's task is inserted in the same transaction that moves the schedule on, and the
   * occurrence is recorded under a unique key (see docs/schedules.md).
   */
  @Override
  public Optional<ScheduleStore> schedules() {
    return Optional.of(schedules);
  }

  /** Searches over the tasks of every node, each one statement on the pool. */
  @Override
  public Optional<TaskSearch> search() {
    return Optional.of(search);
  }

  @Override
  public Optional<TaskHistory> history() {
    return Optional.of(history);
  }

  /**
   * The cluster: its nodes, the tasks running on any, and its event log. Every task event is
   * logged by the transaction that changes the task, and every node's engine gets every event,
   * numbered, in one order (docs/postgres.md, section 4).
   */
  @Override
  public Optional<ClusterStore> cluster() {
    return Optional.of(cluster);
  }

  /**
   * Stops the heartbeat and the listener, removes this node's row (so its tasks still RUNNING,
   * if any, are rescued at the next heartbeat of a live node, without waiting for the lease)
   * and closes the pool it made. Harmless twice.
   */
  @Override
  public void close() {
    state.close(o -> o.close(true));
  }

  /**
   * Stops this store as a process killed at once would: no more heartbeats or notifications,
   * connections closed, but its node row left behind (for tests of leases).
   */
  void halt() {
    state.close(o -> o.close(false));
  }

  /** This store's submit writer (for tests of group commit). */
  SubmitWriter submitWriter() {
    return state.get().writer;
  }

  /** This store's completer (for tests of batched ends). */
  Completer completer() {
    return state.get().completer();
  }

  /** Whether this node hears notifications (its listener's last probe came back). */
  boolean hearing() {
    return state.get().hearing();
  }

  /** The sweep interval in force now. */
  Duration sweepInterval() {
    return state.get().sweepInterval();
  }

  /** This store's node id (its row in the nodes table). */
  /** The open store's parts, for the schedules kept beside it. */
  Opened opened() {
    return state.get();
  }

  /** The schema its tables are in. */
  String schemaName() {
    return config.schema;
  }

  long nodeId() {
    return state.get().signalling.self();
  }

  @Override
  public String toString() {
    Opened o = state.orNull();
    return "PostgresStore[" + (o != null ? o.db.where : config.jdbcUrl == null
        ? "DataSource" : Database.redact(config.jdbcUrl)) + ", schema " + config.schema + "]";
  }
}
