package io.errand.engine;

import io.errand.api.CancelResult;
import io.errand.api.InvalidSpecException;
import io.errand.api.QueueSpec;
import io.errand.api.ShuttingDownException;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * An {@link java.util.concurrent.ExecutorService} over one queue, keeping the JDK's contract:
 * each submitted callable is one Errand task; {@code shutdown} (or Errand's own shutdown) stops
 * accepting and lets the accepted run; {@code shutdownNow} cancels them and returns those that
 * never started; a future's {@code cancel(true)} cancels its task, {@code cancel(false)} only
 * one that has not started (a running attempt finishes, and no further attempt starts).
 */
final class TaskExecutorService extends AbstractExecutorService {
  private final Engine engine;
  private final String queue;
  private final Map<Long, Runnable> live = new ConcurrentHashMap<>();
  private final Object termination = new Object();
  private volatile boolean shutdown;
  /** Commands past the shutdown check whose submit has not answered yet. Guarded by termination. */
  private int admitting;

  TaskExecutorService(Engine engine, String queue) {
    this.engine = engine;
    this.queue = queue;
  }

  /**
   * The one executor of executor queue {@code spec} among those {@code made} so far, made now
   * if it is the first ask; shut down at once if {@code shuttingDown} says the engine's
   * shutdown began (it may have closed the others before this one was made).
   *
   * @throws InvalidSpecException if the queue was not declared for an executor
   */
  static TaskExecutorService of(Engine engine, QueueSpec<?, ?> spec,
      Map<String, TaskExecutorService> made, BooleanSupplier shuttingDown) {
    String queue = spec.name();
    if (!isExecutorQueue(spec)) {
      throw new InvalidSpecException("queue '" + queue + "' was not declared for an executor; "
          + "declare it with QueueSpec.forExecutor(\"" + queue + "\")");
    }
    TaskExecutorService executor =
        made.computeIfAbsent(queue, q -> new TaskExecutorService(engine, q));
    if (shuttingDown.getAsBoolean()) {
      executor.shutdown();
    }
    return executor;
  }

  static boolean isExecutorQueue(QueueSpec<?, ?> spec) {
    return spec.argsType() == Callable.class;
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
    return new TaskFuture<>(callable);
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
    return new TaskFuture<>(Executors.callable(runnable, value));
  }

  @Override
  public void execute(Runnable command) {
    if (command == null) {
      throw new NullPointerException("command");
    }
    Callable<?> work = command instanceof TaskFuture<?> f ? f::attempt : Executors.callable(command);
    synchronized (termination) {
      if (shutdown) {
        throw new RejectedExecutionException("executor of queue '" + queue + "' is shut down");
      }
      admitting++; // counted as live until it is in the map or refused: termination waits
    }
    // The submit is a store call: made outside the monitor, which only guards the accounting.
    long id;
    try {
      id = engine.submit(queue, work);
    } catch (ShuttingDownException e) {
      admitted(0, null);
      throw new RejectedExecutionException(e.getMessage(), e);
    } catch (RuntimeException e) {
      admitted(0, null);
      throw new RejectedExecutionException("task refused by queue '" + queue + "': "
          + e.getMessage(), e);
    }
    admitted(id, command);
    if (command instanceof TaskFuture<?> f) {
      f.bind(id);
    }
    engine.await(id).whenComplete((info, error) -> ended(id, command, info));
  }

  /** An accepted command is in {@link #live} ({@code command} non-null) or was refused. */
  private void admitted(long id, Runnable command) {
    synchronized (termination) {
      admitting--;
      if (command != null) {
        live.put(id, command);
      }
      termination.notifyAll();
    }
  }

  private void ended(long id, Runnable command, TaskInfo info) {
    if (command instanceof TaskFuture<?> f) {
      f.settle(info);
    }
    synchronized (termination) {
      live.remove(id);
      termination.notifyAll();
    }
  }

  @Override
  public void shutdown() {
    synchronized (termination) {
      shutdown = true;
      termination.notifyAll();
    }
  }

  /**
   * Cancels every accepted task; returns those still waiting for their first attempt, in the
   * order they were accepted (a task waiting to retry has started, so it is not returned).
   */
  @Override
  public List<Runnable> shutdownNow() {
    shutdown();
    String why = "executor shut down now";
    Map<Long, Runnable> accepted = new TreeMap<>(live);
    List<Runnable> neverStarted = new ArrayList<>();
    // The waiting ones first: stopping a running one frees its worker to start them.
    for (Map.Entry<Long, Runnable> e : accepted.entrySet()) {
      long id = e.getKey();
      if (status(id) == TaskStatus.WAITING
          && engine.cancel(id, why) instanceof CancelResult.Cancelled
          && engine.get(id).map(t -> t.attempt() == 0).orElse(true)) {
        neverStarted.add(e.getValue());
      }
    }
    accepted.keySet().forEach(id -> engine.cancel(id, why));
    return neverStarted;
  }

  private TaskStatus status(long id) {
    return engine.get(id).map(TaskInfo::status).orElse(null);
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    synchronized (termination) {
      return shutdown && admitting == 0 && live.isEmpty();
    }
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (termination) {
      while (!(shutdown && admitting == 0 && live.isEmpty())) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(termination, left);
      }
      return true;
    }
  }

  /**
   * The future of one submitted callable. Each attempt of its task calls the callable
   * (remembering what it threw, for {@link ExecutionException#getCause()}); the task's final
   * status settles it. A cancel settles it at once, as {@link java.util.concurrent.FutureTask}
   * does.
   */
  private final class TaskFuture<T> implements RunnableFuture<T> {
    private final Callable<T> callable;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private volatile long id;
    private volatile Throwable lastThrown;
    private Thread runner; // guarded by this: the thread in run(), if any

    TaskFuture(Callable<T> callable) {
      this.callable = callable;
    }

    void bind(long id) {
      this.id = id;
    }

    /** One attempt of its task. */
    T attempt() throws Exception {
      if (result.isCancelled()) {
        // cancel(false) let a running attempt finish; no further attempt may start.
        engine.cancel(id, "future cancelled");
        throw new CancellationException("future cancelled");
      }
      lastThrown = null;
      try {
        return callable.call();
      } catch (Exception | Error e) {
        lastThrown = e;
        throw e;
      }
    }

    @SuppressWarnings("unchecked")
    void settle(TaskInfo info) {
      if (info == null) {
        result.completeExceptionally(new CancellationException("the task no longer exists"));
        return;
      }
      switch (info.status()) {
        case SUCCESS -> result.complete((T) info.response());
        case FAILURE -> fail(failureOf(info));
        default -> result.completeExceptionally(new CancellationException(info.message()));
      }
    }

    /** The cause get() reports: the time-out, else what the last attempt threw. */
    private Throwable failureOf(TaskInfo info) {
      if (info.lastError().filter(e -> e.type().equals("timeout")).isPresent()) {
        return new TimeoutException(info.message());
      }
      Throwable thrown = lastThrown;
      return thrown != null ? thrown : new IllegalStateException(info.message());
    }

    /**
     * Wrapped, because CompletableFuture.get unwraps a CompletionException into an
     * ExecutionException of its cause: even a CancellationException the callable threw is
     * then reported as its failure, not as a cancel.
     */
    private void fail(Throwable cause) {
      result.completeExceptionally(new CompletionException(cause));
    }

    /**
     * Run directly by a wrapper that is itself the submitted task (as in
     * ExecutorCompletionService, which invokeAny uses): one plain call, interruptible by cancel.
     */
    @Override
    public void run() {
      synchronized (this) {
        if (result.isDone()) {
          return; // cancelled before it started
        }
        runner = Thread.currentThread();
      }
      try {
        result.complete(callable.call());
      } catch (Throwable t) {
        fail(t);
      } finally {
        synchronized (this) {
          runner = null;
        }
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (!result.completeExceptionally(new CancellationException("future cancelled"))) {
        return false;
      }
      long taskId = id;
      if (taskId != 0 && (mayInterruptIfRunning || status(taskId) == TaskStatus.WAITING)) {
        engine.cancel(taskId, "future cancelled");
      }
      if (mayInterruptIfRunning) {
        synchronized (this) {
          if (runner != null) {
            runner.interrupt();
          }
        }
      }
      return true;
    }

    @Override
    public boolean isCancelled() {
      return result.isCancelled();
    }

    @Override
    public boolean isDone() {
      return result.isDone();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
      return result.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return result.get(timeout, unit);
    }
  }
}
