package io.errand.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.engine.EngineSettings;
import io.errand.engine.Engines;
import io.errand.spi.TaskStore;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A running set of task queues: submit, watch, cancel and await tasks, then shut down without
 * losing work. Built with {@link #builder()}; thread-safe; close it (or call
 * {@link #shutdown(Duration)}) to stop.
 *
 * <pre>{@code
 * try (Errand errand = Errand.builder()
 *     .queue(QueueSpec.builder("mail", Mail.class, ctx -> send(ctx.args()))
 *         .workers(10).attempts(3).timeout(Duration.ofSeconds(30)).build())
 *     .build()) {
 *   long id = errand.submit("mail", new Mail("ada@example.com"));
 *   TaskInfo done = errand.await(id).join();
 * }
 * }</pre>
 */
public interface Errand extends AutoCloseable {
  /**
   * The longest duration Errand takes anywhere, 100 years (36,525 days): a delay, a time-out, a
   * grace, a backoff, a retention. Every time computed from one stays representable (in an
   * {@code Instant}, in nanoseconds, in a store's microseconds), so none overflows.
   */
  Duration LONGEST_DURATION = Duration.ofDays(36_525);

  /** A builder with the memory store, the system clock and no queue yet. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the workers, supervisors (their stored keys) and schedules of an Errand built with
   * {@link Builder#buildUnstarted()}; one built with {@link Builder#build()} is started
   * already. Does nothing when it is started.
   *
   * @throws IllegalStateException if it is shut down (or shutting down): it cannot start again
   */
  void start();

  /** Whether {@link #start()} was called (always, for one made by {@link Builder#build()}). */
  boolean isStarted();

  /**
   * Adds a task to {@code queue} and returns its id; it runs as soon as a worker is free.
   *
   * @throws UnknownQueueException if there is no such queue
   * @throws InvalidTaskException  if {@code args} is not of the queue's argument type, or
   *     ({@link PayloadEncodingException}) cannot be written as JSON, naming where
   * @throws QueueFullException    if the queue holds its capacity of waiting tasks
   * @throws ShuttingDownException if this Errand is shutting down
   */
  long submit(String queue, Object args);

  /**
   * Adds a task with {@code options} (delay, priority, unique key). With a key that a live task
   * of the queue already has, returns that task's id and adds nothing.
   *
   * @throws UnknownQueueException if there is no such queue
   * @throws InvalidTaskException  if {@code args} or an option is not acceptable
   * @throws QueueFullException    if the queue holds its capacity of waiting tasks
   * @throws ShuttingDownException if this Errand is shutting down
   */
  long submit(String queue, Object args, SubmitOptions options);

  /**
   * As {@link #submit(String, Object, SubmitOptions)}, saying whether the task was added or,
   * with a key a live task of the queue already has, found: for callers that answer
   * differently, such as an HTTP API's 201 and 200.
   *
   * @throws UnknownQueueException if there is no such queue
   * @throws InvalidTaskException  if {@code args} or an option is not acceptable
   * @throws QueueFullException    if the queue holds its capacity of waiting tasks
   * @throws ShuttingDownException if this Errand is shutting down
   */
  Submitted submitOrFind(String queue, Object args, SubmitOptions options);

  /**
   * Adds one task per element of {@code args}, all or none, as one group.
   *
   * @throws QueueFullException if they do not all fit; none was added
   * @see #batch(long)
   */
  BatchRef submitBatch(String queue, List<?> args);

  /**
   * Adds a batch as {@link #submitBatch(String, List)} does, with {@code callback}: one more
   * task, held until the batch ends, then run once (or cancelled, as its trigger says). All or
   * none: the callback is added with the batch.
   *
   * @throws QueueFullException   if they do not all fit; none was added
   * @throws UnknownQueueException if the callback's queue is not one of this Errand's
   * @throws InvalidTaskException if the callback's arguments do not fit its queue
   */
  BatchRef submitBatch(String queue, List<?> args, BatchCallback callback);

  /**
   * Adds a chain: each step runs after the one before it succeeded, and sees its result. When a
   * step fails or is cancelled, the steps after it end CANCELLED with that reason.
   *
   * @throws InvalidTaskException if {@code steps} is empty
   */
  BatchRef submitChain(List<ChainStep> steps);

  /**
   * Adds a task inside the caller's JDBC transaction open on {@code connection} (transactional
   * enqueue): the task exists once the caller commits, with the rows the caller wrote in the
   * same transaction, and never if the caller rolls back; no node sees it before the commit. It
   * joins through a savepoint, so a refusal leaves the caller's transaction usable, with nothing
   * of the task in it. Only a store that keeps its tasks in that connection's database can join
   * (PostgreSQL, on the same database). Workers everywhere learn of the task at the commit.
   * The connection stays the caller's: Errand neither commits nor closes it.
   *
   * @return the new task's id, or, with a key a live task of the queue already has, that task's
   * @throws StoreCannotJoinTransactionException if the store cannot join the transaction
   * @throws IllegalArgumentException if {@code connection} is in auto-commit mode
   * @throws UnknownQueueException    if there is no such queue
   * @throws InvalidTaskException     if {@code args} or an option is not acceptable
   * @throws QueueFullException       if the queue holds its capacity of waiting tasks
   * @throws ShuttingDownException    if this Errand is shutting down
   */
  long submit(Connection connection, String queue, Object args, SubmitOptions options);

  /**
   * Adds one task per element of {@code args}, all or none, as one group, inside the caller's
   * JDBC transaction open on {@code connection}, as {@link #submit(Connection, String, Object,
   * SubmitOptions)} does. The group's BATCH_FINISHED event is not raised for such a batch (the
   * submitting node cannot know whether the caller commits); {@link #batch(long)} reads its
   * status.
   *
   * @throws StoreCannotJoinTransactionException if the store cannot join the transaction
   * @throws IllegalArgumentException if {@code connection} is in auto-commit mode
   * @throws QueueFullException       if they do not all fit; none was added
   */
  BatchRef submitBatch(Connection connection, String queue, List<?> args);

  /** The task, or empty if there is none with this id (or it was removed after retention). */
  Optional<TaskInfo> get(long id);

  /** Tasks matching {@code query}, newest first. */
  Page<TaskInfo> list(TaskQuery query);

  /**
   * Tasks matching {@code filter}, newest first: at most {@code limit} (1 to 1000), older than
   * {@code cursor} (a previous page's {@link Page#nextCursor()}, or 0 for the newest).
   *
   * @throws InvalidTaskException for a limit outside 1..1000 or a negative cursor
   * @throws ErrandException with code {@code search_unsupported} if the store cannot search
   *     ({@link io.errand.spi.TaskStore#search()} is empty)
   */
  Page<TaskInfo> search(TaskFilter filter, int limit, long cursor);

  /**
   * How many tasks match {@code filter}.
   *
   * @throws ErrandException with code {@code search_unsupported} if the store cannot search
   */
  long count(TaskFilter filter);

  /**
   * The failed tasks matching {@code filter} grouped by the error they ended with, the
   * {@code limit} largest groups first.
   *
   * @throws InvalidTaskException for a limit outside 1..1000
   * @throws ErrandException with code {@code search_unsupported} if the store cannot search
   */
  List<FailureGroup> failures(TaskFilter filter, int limit);

  /**
   * What the queues did from {@code from} to {@code to}, summed over every node of a shared
   * store, in spans of {@code step} (aligned on multiples of it since the epoch): tasks ended
   * SUCCESS and FAILURE, attempts started with their wait, attempts ended with their run time.
   * By queue, then time; spans in which a queue did nothing are left out. The store keeps
   * {@link io.errand.spi.TaskHistory#KEPT} of history, a bucket per queue and minute; this
   * node's counts of the last few seconds are added before the read.
   *
   * @param queue only this queue; null for every queue
   * @throws InvalidTaskException for a step that is not a whole number of minutes, from not
   *     before to, or more than 10,000 steps
   * @throws UnknownQueueException if {@code queue} is not configured
   * @throws ErrandException with code {@code history_unsupported} if the store keeps none
   *     ({@link io.errand.spi.TaskStore#history()} is empty)
   */
  List<HistoryBucket> history(String queue, Instant from, Instant to, Duration step);

  /**
   * Cancels the task: at once if waiting; if running, asks it to stop (onCancel callbacks, then
   * an interrupt) and records it CANCELLED when it stops or when its cancel grace runs out.
   * Idempotent; says what it did.
   */
  CancelResult cancel(long id, String reason);

  /**
   * Cancels the task if it is live, then forgets it once it has stopped.
   *
   * @return false if there was no such task
   */
  boolean delete(long id);

  /**
   * Records progress of a running task reported from outside its handler: by an external worker
   * or the remote service a handler waits on. Like {@link TaskContext#progress}, it is visible at
   * once through {@link #get(long)} and as a PROGRESS event. Applied only while the task is
   * RUNNING (on any node sharing the store); a report for a waiting, finished or unknown task, or
   * one that races with the attempt's end, changes nothing.
   *
   * @param id      the task
   * @param current work done so far
   * @param total   the goal, or 0 when unknown
   * @param message what is happening now; may be null
   * @return whether the report was recorded
   * @throws IllegalArgumentException if {@code current} or {@code total} is negative
   */
  boolean reportProgress(long id, long current, long total, String message);

  /**
   * A future completed with the task's final snapshot once it reaches a terminal status (never
   * exceptionally for a failed task: look at its status). Completes on an Errand thread, not a
   * worker's. Completes exceptionally with {@link ErrandException} (code {@code unknown_task})
   * if there is no such task.
   */
  CompletableFuture<TaskInfo> await(long id);

  /** The aggregate status of a batch or chain, or empty if the group is unknown. */
  Optional<BatchStatus> batch(long group);

  /** Cancels every live task of a group; returns how many were live. */
  int cancelBatch(long group, String reason);

  /**
   * The queue's figures now.
   *
   * @throws UnknownQueueException if there is no such queue
   */
  QueueMetrics metrics(String queue);

  /** The names of the queues, in the order they were declared. */
  List<String> queues();

  /** The spec of {@code queue}. @throws UnknownQueueException if there is no such queue */
  QueueSpec<?, ?> queue(String queue);

  /**
   * A typed handle on the queue {@code spec} declares: submits take {@code A}, reads give
   * results as {@code R}, whatever the store. {@code spec} is the declared spec or one with the
   * same name, argument type and result type (a copy from {@link QueueSpec#toBuilder()}).
   *
   * @throws UnknownQueueException if no queue of that name was declared
   * @throws InvalidSpecException  if the declared queue has other types, or {@code spec} has no
   *     result type ({@link QueueSpec#builder(String, Class, Class, TaskHandler)} declares one)
   */
  <A, R> TaskQueue<A, R> queue(QueueSpec<A, R> spec);

  /**
   * Pause, resume and drain of {@code queue}, kept by the store (see {@link QueueControl}).
   *
   * @throws UnknownQueueException if there is no such queue
   */
  QueueControl control(String queue);

  /**
   * The keyed supervisor {@code name}, declared with {@link Builder#supervisor}.
   *
   * @throws UnknownSupervisorException if there is no such supervisor
   */
  Supervisor supervisor(String name);

  /** The names of the supervisors, in the order they were declared. */
  List<String> supervisors();

  /** Delivers every event from now on to {@code listener}, known in logs as {@code name}. */
  Subscription listen(String name, EventListener listener);

  /**
   * A {@link java.util.concurrent.ExecutorService} whose tasks run in {@code queue}, which must
   * have been declared with {@link QueueSpec#forExecutor(String)}. Tasks are tracked, timed out,
   * retried and cancelled like any other.
   *
   * @throws InvalidSpecException if the queue was not declared for an executor
   */
  ExecutorService executor(String queue);

  /** Whether {@link #shutdown} (or {@link #stopAccepting}) has begun. */
  boolean isShuttingDown();

  /**
   * The first step of {@link #shutdown} alone, without waiting: when it returns, every submit is
   * refused with {@link ShuttingDownException} and no further task is claimed, while running
   * tasks go on. A server calls it before it announces its drain, so that nothing submitted
   * after the announcement is accepted; {@link #shutdown} then drains as usual. Idempotent.
   */
  void stopAccepting();

  /**
   * Shuts down gracefully: refuses new tasks, tells running handlers, waits up to {@code grace}
   * for them, cancels what is left and waits for that (bounded by the cancel grace), then stops.
   * With a durable store, interrupted and waiting tasks run again after the next start.
   * Idempotent: a second call waits for the first and returns its report.
   *
   * <p>A negative {@code grace} waits as zero does; one longer than 100 years (the builder's
   * limit for {@link Builder#shutdownGrace}) waits 100 years, so any grace can be passed.
   *
   * @throws NullPointerException if {@code grace} is null
   */
  ShutdownReport shutdown(Duration grace);

  /**
   * This Errand's schedules: named cron, interval and one-off schedules that submit one task
   * per occurrence (see {@code docs/schedules.md}).
   *
   * @throws ErrandException with code {@code schedules_unsupported} if its store keeps no
   *     schedules ({@link TaskStore#schedules()} is empty)
   */
  Schedules schedules();

  /**
   * The cluster this Errand is a node of: its nodes, the tasks running anywhere, the event log.
   * Empty unless its store is shared by nodes and keeps a cluster-wide event log (PostgreSQL).
   */
  default Optional<Cluster> cluster() {
    return Optional.empty();
  }

  /** {@link #shutdown(Duration)} with the builder's shutdown grace. */
  @Override
  void close();

  /**
   * Collects the settings of an Errand. {@link #build()} checks them and starts it.
   */
  final class Builder {
    private TaskStore store;
    private InstantSource clock = InstantSource.system();
    private final Map<String, QueueSpec<?, ?>> queues = new LinkedHashMap<>();
    private final Map<String, SupervisorSpec<?>> supervisors = new LinkedHashMap<>();
    private final Map<String, EventListener> listeners = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private Duration shutdownGrace = Duration.ofSeconds(30);
    private int eventBuffer = 65_536;
    private String node;
    private ObjectMapper objectMapper;
    private int errorTraceLimit = TaskError.DEFAULT_TRACE_LIMIT;

    private Builder() {}

    /** The store (default: a new in-memory store, which keeps nothing across restarts). */
    public Builder store(TaskStore store) {
      this.store = store;
      return this;
    }

    /** The clock all of Errand's times come from (default: the system clock). */
    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    /** Adds a queue; names must be unique among queues and supervisors. */
    public Builder queue(QueueSpec<?, ?> spec) {
      if (spec == null) {
        problems.add("queue spec must not be null");
      } else if (queues.containsKey(spec.name()) || supervisors.containsKey(spec.name())) {
        problems.add("queue '" + spec.name() + "' is declared twice; queue and supervisor names"
            + " must be unique");
      } else {
        queues.put(spec.name(), spec);
      }
      return this;
    }

    /** Adds a keyed supervisor; names must be unique among queues and supervisors. */
    public Builder supervisor(SupervisorSpec<?> spec) {
      if (spec == null) {
        problems.add("supervisor spec must not be null");
      } else if (queues.containsKey(spec.name()) || supervisors.containsKey(spec.name())) {
        problems.add("supervisor '" + spec.name() + "' is declared twice; queue and supervisor"
            + " names must be unique");
      } else {
        supervisors.put(spec.name(), spec);
      }
      return this;
    }

    /** Adds a listener of every event, known in logs as {@code name}. */
    public Builder listener(String name, EventListener listener) {
      if (name == null || listener == null) {
        problems.add("listener name and listener must not be null");
      } else if (listeners.putIfAbsent(name, listener) != null) {
        problems.add("listener '" + name + "' is added twice; listener names must be unique");
      }
      return this;
    }

    /**
     * How many events each listener may have waiting for delivery (default 65,536). Workers
     * never wait for a listener: when a listener's buffer is full its new events are dropped,
     * counted ({@link Subscription#dropped()}) and logged once. At several hundred thousand
     * tasks a second a descheduled listener thread can fall that far behind; raise this (at
     * about 8 bytes per slot plus the events held) when every event must arrive.
     */
    public Builder eventBuffer(int events) {
      this.eventBuffer = events;
      return this;
    }

    /** How long {@link Errand#close()} waits for running tasks (default 30 s). */
    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * The Jackson mapper that writes arguments and results as JSON and reads them back, on every
     * store (the memory store copies them through it too, so every store hands back the same
     * values). Used as given: register the modules your types need. The default handles records,
     * {@code java.time} values (written as ISO-8601 text, offsets and zones kept) and
     * {@code Optional}, and nothing found on the class path by itself.
     */
    public Builder objectMapper(ObjectMapper objectMapper) {
      this.objectMapper = objectMapper;
      if (objectMapper == null) {
        problems.add("objectMapper must not be null (leave it unset for the default)");
      }
      return this;
    }

    /**
     * How many characters of a failed attempt's stack trace are kept with its error (default
     * 8,192; 0 keeps none). The trace is cut there, with a line saying how much was left out:
     * enough for the frames that matter, bounded so that a task failing deep in a framework
     * does not fill the store.
     */
    public Builder errorTraceLimit(int characters) {
      this.errorTraceLimit = characters;
      return this;
    }

    /** This process's name among the nodes sharing a store (default: host and pid). */
    public Builder node(String node) {
      this.node = node;
      return this;
    }

    /**
     * Checks the settings, opens the store and starts the workers: {@link #buildUnstarted()}
     * and {@link Errand#start()} in one step.
     *
     * @throws InvalidSpecException naming the first setting that is not allowed
     */
    public Errand build() {
      Errand errand = buildUnstarted();
      errand.start();
      return errand;
    }

    /**
     * Checks the settings and opens the store, but starts no worker, supervisor or schedule
     * until {@link Errand#start()}: for a container that builds its parts first and starts them
     * later (Spring's {@code SmartLifecycle}), so that no task runs before the application is
     * ready. Until then submits are accepted and stored (they wait), reads and cancels work, a
     * supervisor's {@code put} is refused, and {@link Errand#shutdown} closes the store.
     *
     * @throws InvalidSpecException naming the first setting that is not allowed
     */
    public Errand buildUnstarted() {
      if (!problems.isEmpty()) {
        throw new InvalidSpecException(problems.get(0));
      }
      InvalidSpecException.require(clock != null, "clock", null, "an InstantSource");
      InvalidSpecException.require(shutdownGrace != null && !shutdownGrace.isNegative()
          && InvalidSpecException.notTooLong(shutdownGrace), "shutdownGrace", shutdownGrace,
          ">= 0 and " + InvalidSpecException.AT_MOST_LONGEST);
      InvalidSpecException.require(eventBuffer >= 16 && eventBuffer <= (1 << 26), "eventBuffer",
          eventBuffer, "between 16 and 67108864");
      InvalidSpecException.require(errorTraceLimit >= 0
          && errorTraceLimit <= TaskError.MAX_TRACE_LIMIT, "errorTraceLimit", errorTraceLimit,
          "between 0 and " + TaskError.MAX_TRACE_LIMIT);
      String nodeName = node != null ? node : ProcessHandle.current().pid() + "@" + hostName();
      TaskStore s = store != null ? store : new io.errand.memory.MemoryStore();
      return Engines.create(new EngineSettings(s, clock, List.copyOf(queues.values()),
          List.copyOf(supervisors.values()), Map.copyOf(listeners), eventBuffer, shutdownGrace,
          nodeName, objectMapper != null ? objectMapper : Json.defaultMapper(), errorTraceLimit));
    }

    private static String hostName() {
      try {
        return java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        return "localhost";
      }
    }
  }
}
