package io.errand.engine;

import io.errand.api.BatchRef;
import io.errand.api.BatchStatus;
import io.errand.api.CancelResult;
import io.errand.api.ChainStep;
import io.errand.api.Errand;
import io.errand.api.EventListener;
import io.errand.api.EventType;
import io.errand.api.InvalidSpecException;
import io.errand.api.InvalidTaskException;
import io.errand.api.ManualClock;
import io.errand.api.Page;
import io.errand.api.QueueMetrics;
import io.errand.api.QueueSpec;
import io.errand.api.ShutdownReport;
import io.errand.api.ShuttingDownException;
import io.errand.api.SubmitOptions;
import io.errand.api.Supervisor;
import io.errand.api.SupervisorSpec;
import io.errand.api.Subscription;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.api.TaskStoppedException.StopCause;
import io.errand.api.UnknownQueueException;
import io.errand.api.UnknownSupervisorException;
import io.errand.spi.CancelAnswer;
import io.errand.spi.GroupInserted;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.StoreContext;
import io.errand.spi.StoreSignals;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The engine behind {@link Errand}: queues of workers over one store. The only public type of
 * this package; build it through {@link Errand#builder()}.
 */
public final class Engine implements Errand, StoreSignals {
  private final Config config;
  private final TaskStore store;
  private final InstantSource clock;
  private final Map<String, QueueRunner> runners = new LinkedHashMap<>();
  private final Map<String, SupervisorRunner> supervisors = new LinkedHashMap<>();
  private final Map<Long, Attempt> attempts = new ConcurrentHashMap<>();
  private final Set<Long> pendingCancels = ConcurrentHashMap.newKeySet();
  private final Timers timers;
  private final EventBus events = new EventBus(65_536);
  private final Completions completions;
  private final Lifecycle lifecycle = new Lifecycle();
  private final Map<String, TaskExecutorService> executors = new ConcurrentHashMap<>();
  private final TaskEvents taskEvents;
  private final Instant startedAt;
  private AutoCloseable clockSubscription;

  private Engine(Config config) {
    this.config = config;
    this.store = config.store();
    this.clock = config.clock();
    this.timers = new Timers(clock);
    this.startedAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    this.taskEvents = new TaskEvents(events, clock, startedAt);
    this.completions = new Completions(store, clock, this::onFinished,
        taskEvents::batchFinished, startedAt);
    for (QueueSpec<?, ?> spec : config.queues()) {
      runners.put(spec.name(), new QueueRunner(this, spec, store));
    }
    for (SupervisorSpec<?> spec : config.supervisors()) {
      supervisors.put(spec.name(), new SupervisorRunner(this, spec, store));
    }
  }

  /**
   * Opens the store and starts the workers of {@code config}.
   *
   * @throws InvalidSpecException if the configuration is not usable
   */
  public static Engine start(Config config) {
    Engine engine = new Engine(config);
    engine.store.open(new StoreContext(engine.clock, engine, new JsonCodec(engine::argsType),
        config.node()));
    config.listeners().forEach(engine::listen);
    engine.timers.start();
    if (engine.clock instanceof ManualClock manual) {
      engine.clockSubscription = manual.onAdvance(engine::clockMoved);
    }
    engine.runners.values().forEach(r -> {
      r.start();
      new RetentionSweep(r.spec(), engine.store, engine.clock, engine.timers).start();
    });
    engine.supervisors.values().forEach(SupervisorRunner::start);
    return engine;
  }

  // ---- submitting ----

  @Override
  public long submit(String queue, Object args) {
    return submit(queue, args, SubmitOptions.DEFAULTS);
  }

  @Override
  public long submit(String queue, Object args, SubmitOptions options) {
    QueueRunner runner = runner(queue);
    checkArgs(runner.spec(), args);
    SubmitOptions o = options == null ? SubmitOptions.DEFAULTS : options;
    lifecycle.enterSubmit(queue);
    try {
      Instant now = clock.instant();
      Inserted ins = store.insert(newTask(runner.spec(), args, now, runAt(o, now), o.priority(),
          o.key()));
      if (ins.created()) {
        taskEvents.added(ins.id(), queue, o.key(), now);
      }
      return ins.id();
    } finally {
      lifecycle.exitSubmit();
    }
  }

  @Override
  public BatchRef submitBatch(String queue, List<?> args) {
    QueueRunner runner = runner(queue);
    if (args == null || args.isEmpty()) {
      throw new InvalidTaskException("a batch needs at least one task's arguments, got none");
    }
    args.forEach(a -> checkArgs(runner.spec(), a));
    List<ChainStep> steps = new ArrayList<>(args.size());
    args.forEach(a -> steps.add(new ChainStep(queue, a)));
    return insertGroup(steps, false);
  }

  @Override
  public BatchRef submitChain(List<ChainStep> steps) {
    if (steps == null || steps.isEmpty()) {
      throw new InvalidTaskException("a chain needs at least one step, got none");
    }
    steps.forEach(s -> checkArgs(runner(s.queue()).spec(), s.args()));
    return insertGroup(steps, true);
  }

  private BatchRef insertGroup(List<ChainStep> steps, boolean chained) {
    lifecycle.enterSubmit(null);
    try {
      Instant now = clock.instant();
      List<NewTask> tasks = new ArrayList<>(steps.size());
      for (ChainStep s : steps) {
        tasks.add(newTask(runner(s.queue()).spec(), s.args(), now, now, 0, null));
      }
      GroupInserted g = store.insertGroup(tasks, chained);
      completions.trackGroup(g.group(), g.ids().size(), steps.get(0).queue());
      if (events.active()) {
        for (int i = 0; i < g.ids().size(); i++) {
          taskEvents.added(g.ids().get(i), steps.get(i).queue(), null, now);
        }
      }
      return new BatchRef(g.group(), g.ids());
    } finally {
      lifecycle.exitSubmit();
    }
  }

  private static NewTask newTask(QueueSpec<?, ?> spec, Object args, Instant now, Instant runAt,
      int priority, String key) {
    long id = 0;
    if (spec.idGenerator() != null) {
      id = spec.idGenerator().getAsLong();
      if (id <= 0) {
        throw new InvalidTaskException("the id generator of queue '" + spec.name()
            + "' returned " + id + "; task ids must be positive");
      }
    }
    return new NewTask(spec.name(), id, args, now, runAt, priority, key, spec.capacity());
  }

  private static Instant runAt(SubmitOptions o, Instant now) {
    if (o.runAt() != null) {
      return o.runAt();
    }
    return o.delay() == null ? now : now.plus(o.delay());
  }

  private static void checkArgs(QueueSpec<?, ?> spec, Object args) {
    if (args != null && !spec.argsType().isInstance(args)) {
      throw new InvalidTaskException("queue '" + spec.name() + "' takes arguments of type "
          + spec.argsType().getName() + ", got " + args.getClass().getName());
    }
  }

  // ---- reading ----

  @Override
  public Optional<TaskInfo> get(long id) {
    return store.find(id).map(TaskRecord::info);
  }

  @Override
  public Page<TaskInfo> list(TaskQuery query) {
    Page<TaskRecord> page = store.list(query);
    return new Page<>(page.items().stream().map(TaskRecord::info).toList(), page.nextCursor());
  }

  @Override
  public CompletableFuture<TaskInfo> await(long id) {
    return completions.await(id);
  }

  @Override
  public Optional<BatchStatus> batch(long group) {
    return store.group(group);
  }

  @Override
  public QueueMetrics metrics(String queue) {
    QueueRunner r = runner(queue);
    return r.stats.snapshot(queue, r.spec().workers(), store.waiting(queue),
        clock.instant().getEpochSecond());
  }

  @Override
  public List<String> queues() {
    return List.copyOf(runners.keySet());
  }

  @Override
  public QueueSpec<?, ?> queue(String queue) {
    return runner(queue).spec();
  }

  // ---- cancelling ----

  @Override
  public CancelResult cancel(long id, String reason) {
    String why = reason == null || reason.isBlank() ? "cancelled" : reason;
    Attempt a = attempts.get(id);
    if (a != null) {
      if (a.stop(StopCause.CANCELLED, why) || a.isStopping()) {
        return new CancelResult.Stopping(id);
      }
      a.awaitSettled(1_000); // it is recording its own end: answer with what it recorded
    }
    CancelAnswer answer = store.requestCancel(id, why, clock.instant());
    if (!answer.found()) {
      return new CancelResult.Unknown(id);
    }
    return switch (answer.before()) {
      case WAITING -> {
        onFinished(answer.record());
        yield new CancelResult.Cancelled(id);
      }
      case RUNNING -> new CancelResult.Stopping(id);
      case SUCCESS, FAILURE, CANCELLED -> new CancelResult.AlreadyFinished(id, answer.before());
    };
  }

  @Override
  public boolean delete(long id) {
    CancelResult r = cancel(id, "deleted");
    if (r instanceof CancelResult.Unknown) {
      return false;
    }
    if (r instanceof CancelResult.Stopping) {
      completions.await(id).thenRun(() -> store.delete(id));
    } else {
      store.delete(id);
    }
    return true;
  }

  @Override
  public int cancelBatch(long group, String reason) {
    int live = 0;
    for (long id : store.liveInGroup(group)) {
      CancelResult r = cancel(id, reason);
      if (r instanceof CancelResult.Cancelled || r instanceof CancelResult.Stopping) {
        live++;
      }
    }
    return live;
  }

  // ---- listening, executors, lifecycle ----

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
    QueueSpec<?, ?> spec = runner(queue).spec();
    if (!TaskExecutorService.isExecutorQueue(spec)) {
      throw new InvalidSpecException("queue '" + queue + "' was not declared for an executor; "
          + "declare it with QueueSpec.forExecutor(\"" + queue + "\")");
    }
    TaskExecutorService executor =
        executors.computeIfAbsent(queue, q -> new TaskExecutorService(this, q));
    if (lifecycle.shuttingDown()) {
      executor.shutdown(); // made after the shutdown closed the others
    }
    return executor;
  }

  @Override
  public boolean isShuttingDown() {
    return lifecycle.shuttingDown();
  }

  @Override
  public ShutdownReport shutdown(Duration grace) {
    return lifecycle.shutdown(() -> new Shutdown(this).run(grace));
  }

  @Override
  public void close() {
    shutdown(config.shutdownGrace());
  }

  // ---- StoreSignals ----

  @Override
  public void workAvailable(String queue) {
    QueueRunner r = runners.get(queue);
    if (r != null) {
      r.signal();
    }
  }

  @Override
  public void cancelRequested(long id) {
    Attempt a = attempts.get(id);
    if (a == null) {
      pendingCancels.add(id);
      a = attempts.get(id); // the worker may have registered meanwhile
      if (a == null) {
        return;
      }
      pendingCancels.remove(id);
    }
    String why = store.find(id).map(r -> r.info().cancelReason()).orElse("cancelled");
    a.stop(StopCause.CANCELLED, why == null ? "cancelled" : why);
  }

  // ---- for the engine's own classes ----

  InstantSource clock() {
    return clock;
  }

  Timers timers() {
    return timers;
  }

  String node() {
    return config.node();
  }

  TaskStore store() {
    return store;
  }

  Collection<QueueRunner> runners() {
    return runners.values();
  }

  Collection<SupervisorRunner> supervisorRunners() {
    return supervisors.values();
  }

  Collection<Attempt> attempts() {
    return attempts.values();
  }

  /** Errand takes no more tasks: neither do its executors, which then terminate. */
  void shutdownExecutors() {
    executors.values().forEach(TaskExecutorService::shutdown);
  }

  Lifecycle lifecycle() {
    return lifecycle;
  }

  EventBus events() {
    return events;
  }

  boolean claiming() {
    return lifecycle.claiming();
  }

  /** With a durable store, a checkpoint during shutdown stops the handler to requeue it. */
  boolean shutdownStopsHandlers() {
    return lifecycle.shuttingDown() && store.durable();
  }

  void registerAttempt(Attempt a) {
    attempts.put(a.id(), a);
    if (a.record.cancelRequested() || (!pendingCancels.isEmpty() && pendingCancels.remove(a.id()))) {
      String why = a.record.info().cancelReason();
      a.stop(StopCause.CANCELLED, why == null ? "cancelled" : why);
    }
  }

  void unregisterAttempt(Attempt a) {
    attempts.remove(a.id(), a);
    lifecycle.attemptEnded();
  }

  void workerExited() {
    lifecycle.attemptEnded();
  }

  void countAbandoned() {
    lifecycle.abandoned.increment();
  }

  void countRequeued() {
    lifecycle.requeued.increment();
  }

  /** Everything that follows a task reaching a terminal status, exactly once per task. */
  void onFinished(TaskRecord rec) {
    TaskInfo info = rec.info();
    QueueRunner r = runners.get(info.queue());
    if (r != null) {
      switch (info.status()) {
        case SUCCESS -> r.stats.succeeded.increment();
        case FAILURE -> r.stats.failed.increment();
        default -> r.stats.cancelled.increment();
      }
      r.stats.finishedAt(info.finishedAt() == null ? clock.instant().getEpochSecond()
          : info.finishedAt().getEpochSecond());
    }
    taskEvents.finished(info);
    completions.finished(rec);
  }

  TaskEvents taskEvents() {
    return taskEvents;
  }

  private void clockMoved() {
    timers.wake();
    runners.values().forEach(QueueRunner::wakeAll);
  }

  void closeClockSubscription() {
    if (clockSubscription != null) {
      try {
        clockSubscription.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The argument type of a queue or supervisor, for stores that keep JSON. */
  private Class<?> argsType(String name) {
    QueueRunner r = runners.get(name);
    if (r != null) {
      return r.spec().argsType();
    }
    SupervisorRunner s = supervisors.get(name);
    return s == null ? Object.class : s.spec().argsType();
  }

  private QueueRunner runner(String queue) {
    QueueRunner r = runners.get(queue);
    if (r == null) {
      throw new UnknownQueueException(queue, runners.keySet());
    }
    return r;
  }
}
