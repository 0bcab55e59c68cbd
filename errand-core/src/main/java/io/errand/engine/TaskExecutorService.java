package io.errand.engine;

import io.errand.api.CancelResult;
import io.errand.api.QueueSpec;
import io.errand.api.ShuttingDownException;
import io.errand.api.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link java.util.concurrent.ExecutorService} over one queue, keeping the JDK's contract:
 * each submitted callable is one Errand task; {@code shutdown} stops accepting and lets the
 * accepted run; {@code shutdownNow} cancels them and returns those that never started; a
 * future's {@code cancel} cancels its task.
 */
final class TaskExecutorService extends AbstractExecutorService {
  private final Engine engine;
  private final String queue;
  private final Map<Long, Runnable> live = new ConcurrentHashMap<>();
  private final Object termination = new Object();
  private volatile boolean shutdown;

  TaskExecutorService(Engine engine, String queue) {
    this.engine = engine;
    this.queue = queue;
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
    if (shutdown) {
      throw new RejectedExecutionException("executor of queue '" + queue + "' is shut down");
    }
    Callable<?> work = command instanceof TaskFuture<?> f ? f::attempt : Executors.callable(command);
    long id;
    synchronized (termination) {
      if (shutdown) {
        throw new RejectedExecutionException("executor of queue '" + queue + "' is shut down");
      }
      try {
        id = engine.submit(queue, work);
      } catch (ShuttingDownException e) {
        throw new RejectedExecutionException(e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new RejectedExecutionException("task refused by queue '" + queue + "': "
            + e.getMessage(), e);
      }
      live.put(id, command);
    }
    if (command instanceof TaskFuture<?> f) {
      f.bind(id);
    }
    engine.await(id).whenComplete((info, error) -> ended(id, command, info));
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

  @Override
  public List<Runnable> shutdownNow() {
    shutdown();
    List<Runnable> neverStarted = new ArrayList<>();
    for (Map.Entry<Long, Runnable> e : List.copyOf(live.entrySet())) {
      if (engine.cancel(e.getKey(), "executor shut down now") instanceof CancelResult.Cancelled) {
        neverStarted.add(e.getValue());
      }
    }
    return neverStarted;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    synchronized (termination) {
      return shutdown && live.isEmpty();
    }
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (termination) {
      while (!(shutdown && live.isEmpty())) {
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
   * The future of one submitted callable. Each attempt calls the callable (remembering what it
   * threw, for {@link ExecutionException#getCause()}); the task's final status settles it.
   */
  private final class TaskFuture<T> implements RunnableFuture<T> {
    private final Callable<T> callable;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private volatile long id;
    private volatile Throwable lastThrown;

    TaskFuture(Callable<T> callable) {
      this.callable = callable;
    }

    void bind(long id) {
      this.id = id;
    }

    T attempt() throws Exception {
      try {
        return callable.call();
      } catch (Exception | Error e) {
        lastThrown = e;
        throw e;
      }
    }

    @SuppressWarnings("unchecked")
    void settle(TaskInfo info) {
      switch (info.status()) {
        case SUCCESS -> result.complete((T) info.response());
        case FAILURE -> result.completeExceptionally(lastThrown != null ? lastThrown
            : new IllegalStateException(info.message()));
        default -> result.completeExceptionally(new CancellationException(info.message()));
      }
    }

    /** Run directly by a wrapper (as ExecutorCompletionService does): one plain call. */
    @Override
    public void run() {
      try {
        result.complete(callable.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (result.isDone()) {
        return false;
      }
      long taskId = id;
      if (taskId != 0) {
        engine.cancel(taskId, "future cancelled");
      }
      return result.completeExceptionally(new CancellationException("cancelled"));
    }

    @Override
    public boolean isCancelled() {
      if (!result.isCompletedExceptionally()) {
        return false;
      }
      try {
        result.getNow(null);
        return false;
      } catch (CancellationException e) {
        return true;
      } catch (RuntimeException e) {
        return e.getCause() instanceof CancellationException;
      }
    }

    @Override
    public boolean isDone() {
      return result.isDone();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
      return unwrap(() -> result.get());
    }

    @Override
    public T get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      try {
        return result.get(timeout, unit);
      } catch (ExecutionException e) {
        throw rethrowCancel(e);
      }
    }

    private T unwrap(Getter<T> getter) throws InterruptedException, ExecutionException {
      try {
        return getter.get();
      } catch (ExecutionException e) {
        throw rethrowCancel(e);
      }
    }

    private ExecutionException rethrowCancel(ExecutionException e) {
      if (e.getCause() instanceof CancellationException c) {
        throw c;
      }
      return e;
    }
  }

  @FunctionalInterface
  private interface Getter<T> {
    T get() throws InterruptedException, ExecutionException;
  }
}
