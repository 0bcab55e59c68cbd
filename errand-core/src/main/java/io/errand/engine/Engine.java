package io.errand.engine;

import io.errand.api.BatchCallback;
import io.errand.api.BatchRef;
import io.errand.api.BatchStatus;
import io.errand.api.CancelResult;
import io.errand.api.ChainStep;
import io.errand.api.Cluster;
import io.errand.api.Errand;
import io.errand.api.ErrandException;
import io.errand.api.FailureGroup;
import io.errand.api.HistoryBucket;
import io.errand.api.EventListener;
import io.errand.api.InvalidSpecException;
import io.errand.api.ManualClock;
import io.errand.api.Page;
import io.errand.api.QueueControl;
import io.errand.api.QueueMetrics;
import io.errand.api.QueueSpec;
import io.errand.api.Schedules;
import io.errand.api.ShutdownReport;
import io.errand.api.SubmitOptions;
import io.errand.api.Submitted;
import io.errand.api.Supervisor;
import io.errand.api.SupervisorSpec;
import io.errand.api.Subscription;
import io.errand.api.TaskError;
import io.errand.api.TaskFilter;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQueue;
import io.errand.api.TaskQuery;
import io.errand.api.UnknownQueueException;
import io.errand.api.UnknownSupervisorException;
import io.errand.spi.FlowLimits;
import io.errand.spi.ClusterStore;
import io.errand.spi.Inserted;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoreContext;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The engine behind {@link Errand}: queues of workers over one store. Package-private: it is
 * built through {@link Errand#builder()} and {@link Engines}, and is seen only as an
 * {@link Errand}. The store's callbacks go to an {@link EngineSignals}, not to a public method.
 */
final class Engine implements Errand {
  private final EngineSettings config;
  private final TaskStore store;
  private final InstantSource clock;
  private final Map<String, QueueRunner> runners = new LinkedHashMap<>();
  private final Map<String, SupervisorRunner> supervisors = new LinkedHashMap<>();
  private final Map<String, QueueControl> controls = new LinkedHashMap<>();
  private final Timers timers;
  private final FailureLog failureLog;
  private final EventBus events;
  private final Completions completions;
  private final Lifecycle lifecycle = new Lifecycle();
  private final Map<String, TaskExecutorService> executors = new ConcurrentHashMap<>();
  private final TaskEvents taskEvents;
  private final ClusterStore cluster; // null: a store without a cluster-wide event log
  private final Submissions submissions;
  private final Cancellations cancellations;
  private final Instant startedAt;
  private final HistoryRecorder history;
  private final ScheduleStore scheduleStore;
  private final ScheduleRunner scheduleRunner;
  private final Schedules schedules;
  private final TaskEnds ends;
  private final TaskReads reads;
  private AutoCloseable clockSubscription;

  private Engine(EngineSettings config) {
    this.config = config;
    this.store = config.store();
    this.clock = config.clock();
    this.timers = new Timers(clock);
    this.history = new HistoryRecorder(store.history().orElse(null), clock, timers);
    this.failureLog = new FailureLog(clock, timers::schedule);
    this.events = new EventBus(config.eventBuffer());
    this.startedAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    this.cluster = store.cluster().orElse(null);
    this.taskEvents = new TaskEvents(events, clock, cluster);
    this.completions = new Completions(store, clock, this::onFinished,
        taskEvents::batchFinished, startedAt, cluster == null);
    this.submissions = new Submissions(store, clock, lifecycle, completions,
        name -> runner(name).spec());
    this.cancellations = new Cancellations(store, clock, config.node(), completions,
        this::onFinished, id -> QueueRunner.running(runners.values(), id));
    RunnerContext runnerContext = new RunnerContext(clock, config.node(), timers, lifecycle,
        taskEvents, failureLog, RunnerContext.AttemptWatch.of(cancellations, lifecycle),
        this::onFinished, (attempt, failure, at) ->
            TaskError.of(attempt, failure, at, config.errorTraceLimit()), history);
    for (QueueSpec<?, ?> spec : config.queues()) {
      runners.put(spec.name(), new QueueRunner(runnerContext, spec, store));
      controls.put(spec.name(), new EngineQueueControl(spec.name(), store, clock, events,
          spec.concurrency()));
    }
    for (SupervisorSpec<?> spec : config.supervisors()) {
      supervisors.put(spec.name(), new SupervisorRunner(runnerContext, spec, store));
    }
    this.scheduleStore = store.schedules().orElse(null);
    if (scheduleStore == null) {
      this.scheduleRunner = null;
      this.schedules = null;
    } else {
      ScheduleTasks scheduleTasks = new ScheduleTasks(name -> runner(name).spec());
      this.scheduleRunner = new ScheduleRunner(scheduleStore, store, scheduleTasks, clock,
          taskEvents, (id, reason) -> cancel(id, reason), this::isShuttingDown);
      this.schedules = new EngineSchedules(scheduleStore, store, clock,
          name -> runner(name).spec(), scheduleTasks, scheduleRunner);
    }
    this.reads = new TaskReads(store, taskEvents);
    this.ends = new TaskEnds(runners, failureLog, taskEvents, completions, cancellations,
        scheduleRunner);
  }

  /**
   * Opens the store and starts the workers of {@code config}.
   *
   * @throws InvalidSpecException if the configuration is not usable
   */
  /**
   * Declares a queue's per-key and rate limits to the store; a store that cannot honour them
   * stops the start (closed again) rather than running the queue without them.
   */
  private static void declareFlow(Engine engine, String queue, FlowLimits limits) {
    try {
      engine.store.controls().limitFlow(queue, limits);
    } catch (UnsupportedOperationException e) {
      engine.store.close();
      throw new InvalidSpecException("queue '" + queue + "': concurrencyKey, perKeyConcurrency "
          + "and rateLimit need a store that honours them; "
          + engine.store.getClass().getSimpleName() + " does not: " + e.getMessage());
    }
  }

  static Engine start(EngineSettings config) {
    Engine engine = create(config);
    engine.start();
    return engine;
  }

  /**
   * Opens the store of {@code config}, without starting a worker, supervisor or schedule:
   * {@link #start()} does.
   *
   * @throws InvalidSpecException if the configuration is not usable
   */
  static Engine create(EngineSettings config) {
    if (config.store().durable()) {
      for (QueueSpec<?, ?> q : config.queues()) {
        if (TaskExecutorService.isExecutorQueue(q)) {
          throw new InvalidSpecException("queue '" + q.name() + "' is an executor queue: its "
              + "callables live in this process's memory and cannot be kept in a durable store;"
              + " give executor queues an Errand of their own on the memory store");
        }
      }
    }
    Engine engine = new Engine(config);
    engine.store.open(new StoreContext(engine.clock, new EngineSignals(engine.runners,
        engine.taskEvents, engine.completions, engine::onFinished,
        engine.cancellations::cancelRequested),
        JsonCodec.forQueues(config.objectMapper(), engine.runners, engine.supervisors),
        config.node()));
    if (engine.store.durable()) {
      engine.completions.recoverCallbacks(); // a batch that ended as its last node died
    }
    for (QueueSpec<?, ?> q : config.queues()) { // before any worker claims
      q.concurrency().ifPresent(limit -> engine.store.controls().limitConcurrency(q.name(), limit));
      FlowLimits.of(q).ifPresent(limits -> declareFlow(engine, q.name(), limits));
    }
    config.listeners().forEach(engine::listen);
    engine.timers.start();
    engine.history.start();
    if (engine.clock instanceof ManualClock manual) {
      engine.clockSubscription = manual.onAdvance(engine::clockMoved);
    }
    return engine;
  }

  @Override
  public void start() {
    if (lifecycle.shuttingDown()) {
      throw new IllegalStateException("this Errand is shut down and cannot start again; build"
          + " a new one");
    }
    if (!lifecycle.markStarted()) {
      return;
    }
    runners.values().forEach(r -> {
      r.start();
      new RetentionSweep(r.spec(), store, clock, timers).start();
    });
    supervisors.values().forEach(SupervisorRunner::start);
    if (scheduleRunner != null) {
      scheduleRunner.arm();
      if (!scheduleStore.list().isEmpty()) {
        scheduleRunner.start();
      }
    }
  }

  @Override
  public boolean isStarted() {
    return lifecycle.started();
  }

  // ---- submitting ----

  @Override
  public long submit(String queue, Object args) {
    return submissions.submit(queue, args, SubmitOptions.DEFAULTS).id();
  }

  @Override
  public long submit(String queue, Object args, SubmitOptions options) {
    return submissions.submit(queue, args, options).id();
  }

  @Override
  public Submitted submitOrFind(String queue, Object args, SubmitOptions options) {
    Inserted inserted = submissions.submit(queue, args, options);
    return switch (inserted) {
      case Inserted.Created c -> new Submitted(c.id(), true);
      case Inserted.AlreadyLive a -> new Submitted(a.id(), false);
      case Inserted.Updated u -> new Submitted(u.id(), false, u.how());
    };
  }

  @Override
  public BatchRef submitBatch(String queue, List<?> args) {
    return submissions.batch(queue, args);
  }

  @Override
  public BatchRef submitBatch(String queue, List<?> args, BatchCallback callback) {
    return submissions.batch(queue, args, callback);
  }

  @Override
  public BatchRef submitChain(List<ChainStep> steps) {
    return submissions.chain(steps);
  }

  @Override
  public long submit(Connection connection, String queue, Object args, SubmitOptions options) {
    return submissions.submitIn(Objects.requireNonNull(connection, "connection"), queue, args,
        options).id();
  }

  @Override
  public BatchRef submitBatch(Connection connection, String queue, List<?> args) {
    return submissions.batchIn(Objects.requireNonNull(connection, "connection"), queue, args);
  }

  // ---- reading ----

  @Override
  public Optional<TaskInfo> get(long id) {
    return reads.get(id);
  }

  @Override
  public Page<TaskInfo> list(TaskQuery query) {
    return reads.list(query);
  }

  @Override
  public Page<TaskInfo> search(TaskFilter filter, int limit, long cursor) {
    return reads.search(filter, limit, cursor);
  }

  @Override
  public long count(TaskFilter filter) {
    return reads.count(filter);
  }

  @Override
  public List<FailureGroup> failures(TaskFilter filter, int limit) {
    return reads.failures(filter, limit);
  }

  @Override
  public List<HistoryBucket> history(String queue, Instant from, Instant to, Duration step) {
    if (queue != null) {
      runner(queue);
    }
    if (store.history().isEmpty()) {
      throw new ErrandException("history_unsupported", "this store ("
          + store.getClass().getSimpleName() + ") keeps no history of its queues");
    }
    return history.read(queue, from, to, step);
  }

  @Override
  public CompletableFuture<TaskInfo> await(long id) {
    return completions.await(id);
  }

  @Override
  public Optional<BatchStatus> batch(long group) {
    return store.groups().status(group);
  }

  @Override
  public QueueMetrics metrics(String queue) {
    return runner(queue).metrics(store.tasks().waiting(queue));
  }

  @Override
  public List<String> queues() {
    return List.copyOf(runners.keySet());
  }

  @Override
  public QueueSpec<?, ?> queue(String queue) {
    return runner(queue).spec();
  }

  @Override
  public <A, R> TaskQueue<A, R> queue(QueueSpec<A, R> spec) {
    return TypedQueue.of(this, runner(spec.name()).spec(), spec, config.objectMapper());
  }

  @Override
  public boolean reportProgress(long id, long current, long total, String message) {
    return reads.reportProgress(id, current, total, message);
  }

  // ---- cancelling ----

  @Override
  public CancelResult cancel(long id, String reason) {
    return cancellations.cancel(id, reason);
  }

  @Override
  public boolean delete(long id) {
    return cancellations.delete(id);
  }

  @Override
  public int cancelBatch(long group, String reason) {
    return cancellations.cancelBatch(group, reason);
  }

  // ---- listening, executors, lifecycle ----

  @Override
  public QueueControl control(String queue) {
    runner(queue); // refuses an unknown queue
    return controls.get(queue);
  }

  @Override
  public Supervisor supervisor(String name) {
    SupervisorRunner s = supervisors.get(name);
    if (s == null) {
      throw new UnknownSupervisorException(name, supervisors.keySet());
    }
    return s;
  }

  @Override
  public List<String> supervisors() {
    return List.copyOf(supervisors.keySet());
  }

  @Override
  public Subscription listen(String name, EventListener listener) {
    return events.subscribe(name, listener);
  }

  @Override
  public ExecutorService executor(String queue) {
    return TaskExecutorService.of(this, runner(queue).spec(), executors, lifecycle::shuttingDown);
  }

  @Override
  public boolean isShuttingDown() {
    return lifecycle.shuttingDown();
  }

  @Override
  public void stopAccepting() {
    lifecycle.beginDraining();
  }

  @Override
  public ShutdownReport shutdown(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    return lifecycle.shutdown(() -> new Shutdown(new Shutdown.Parts(lifecycle, runners.values(),
        supervisors.values(), this::stopSchedules, () -> executors.values().forEach(TaskExecutorService::shutdown),
        store, timers, failureLog, events, this::closeClockSubscription,
        history::flushQuietly, this::cancel))
        .run(grace));
  }

  @Override
  public void close() {
    shutdown(config.shutdownGrace());
  }

  @Override
  public Optional<Cluster> cluster() {
    return Optional.ofNullable(cluster);
  }

  // ---- for the engine's own classes ----

  /** Stops the schedule runner, if any, and waits for its thread to end (bounded). */
  private void stopSchedules() {
    if (scheduleRunner != null) {
      scheduleRunner.close();
    }
  }

  /** The queue runners (for tests). */
  Collection<QueueRunner> runners() {
    return runners.values();
  }

  /** Everything that follows a task reaching a terminal status ({@link TaskEnds}). */
  private void onFinished(TaskRecord rec) {
    ends.accept(rec);
  }

  @Override
  public Schedules schedules() {
    if (schedules == null) {
      throw new io.errand.api.ErrandException("schedules_unsupported", "the store "
          + store.getClass().getSimpleName() + " keeps no schedules; use a store whose"
          + " schedules() role is present (memory, SQLite, PostgreSQL)");
    }
    return schedules;
  }

  private void clockMoved() {
    timers.wake();
    if (scheduleRunner != null) {
      scheduleRunner.wake();
    }
    runners.values().forEach(QueueRunner::wakeAll);
  }

  private void closeClockSubscription() {
    if (clockSubscription != null) {
      try {
        clockSubscription.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private QueueRunner runner(String queue) {
    QueueRunner r = runners.get(queue);
    if (r == null) {
      throw new UnknownQueueException(queue, runners.keySet());
    }
    return r;
  }
}
