package io.errand.test;

import io.errand.api.BatchCallback;
import io.errand.api.BatchRef;
import io.errand.api.BatchStatus;
import io.errand.api.CancelResult;
import io.errand.api.ChainStep;
import io.errand.api.Errand;
import io.errand.api.EventListener;
import io.errand.api.Page;
import io.errand.api.QueueControl;
import io.errand.api.QueueMetrics;
import io.errand.api.QueueSpec;
import io.errand.api.Schedules;
import io.errand.api.ShutdownReport;
import io.errand.api.SubmitOptions;
import io.errand.api.Submitted;
import io.errand.api.Subscription;
import io.errand.api.Supervisor;
import io.errand.api.TaskInfo;
import io.errand.api.FailureGroup;
import io.errand.api.HistoryBucket;
import io.errand.api.TaskFilter;
import io.errand.api.TaskQuery;
import io.errand.api.TaskQueue;
import io.errand.api.TaskResult;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The Errand of an inline {@link TestErrand}: every submit, and every await, first runs what is
 * due on the caller's thread; everything else is the engine's own.
 */
final class InlineErrand implements Errand {
  private final Errand engine;
  private final TestErrand test;

  InlineErrand(Errand engine, TestErrand test) {
    this.engine = engine;
    this.test = test;
  }

  private <T> T settled(T answer) {
    test.awaitIdle();
    return answer;
  }

  @Override
  public void start() {
    engine.start();
  }

  @Override
  public boolean isStarted() {
    return engine.isStarted();
  }

  @Override
  public long submit(String queue, Object args) {
    return settled(engine.submit(queue, args));
  }

  @Override
  public long submit(String queue, Object args, SubmitOptions options) {
    return settled(engine.submit(queue, args, options));
  }

  @Override
  public Submitted submitOrFind(String queue, Object args, SubmitOptions options) {
    return settled(engine.submitOrFind(queue, args, options));
  }

  @Override
  public BatchRef submitBatch(String queue, List<?> args) {
    return settled(engine.submitBatch(queue, args));
  }

  @Override
  public BatchRef submitBatch(String queue, List<?> args, BatchCallback callback) {
    return settled(engine.submitBatch(queue, args, callback));
  }

  /** Forwarded as it is: the memory store of a test refuses to join a caller's transaction. */
  @Override
  public long submit(Connection connection, String queue, Object args, SubmitOptions options) {
    return engine.submit(connection, queue, args, options);
  }

  /** Forwarded as it is: the memory store of a test refuses to join a caller's transaction. */
  @Override
  public BatchRef submitBatch(Connection connection, String queue, List<?> args) {
    return engine.submitBatch(connection, queue, args);
  }

  @Override
  public BatchRef submitChain(List<ChainStep> steps) {
    return settled(engine.submitChain(steps));
  }

  @Override
  public CompletableFuture<TaskInfo> await(long id) {
    test.awaitIdle();
    return engine.await(id);
  }

  @Override
  public <A, R> TaskQueue<A, R> queue(QueueSpec<A, R> spec) {
    TaskQueue<A, R> typed = engine.queue(spec);
    return new TaskQueue<>() {
      @Override
      public String name() {
        return typed.name();
      }

      @Override
      public QueueSpec<A, R> spec() {
        return typed.spec();
      }

      @Override
      public long submit(A args) {
        return settled(typed.submit(args));
      }

      @Override
      public long submit(A args, SubmitOptions options) {
        return settled(typed.submit(args, options));
      }

      @Override
      public BatchRef submitBatch(List<? extends A> args) {
        return settled(typed.submitBatch(args));
      }

      @Override
      public Optional<TaskResult<A, R>> get(long id) {
        return typed.get(id);
      }

      @Override
      public CompletableFuture<TaskResult<A, R>> await(long id) {
        test.awaitIdle();
        return typed.await(id);
      }
    };
  }

  @Override
  public Optional<TaskInfo> get(long id) {
    return engine.get(id);
  }

  @Override
  public Page<TaskInfo> list(TaskQuery query) {
    return engine.list(query);
  }

  @Override
  public Page<TaskInfo> search(TaskFilter filter, int limit, long cursor) {
    return engine.search(filter, limit, cursor);
  }

  @Override
  public long count(TaskFilter filter) {
    return engine.count(filter);
  }

  @Override
  public List<FailureGroup> failures(TaskFilter filter, int limit) {
    return engine.failures(filter, limit);
  }

  @Override
  public List<HistoryBucket> history(String queue, Instant from, Instant to, Duration step) {
    return engine.history(queue, from, to, step);
  }

  @Override
  public CancelResult cancel(long id, String reason) {
    return engine.cancel(id, reason);
  }

  @Override
  public boolean delete(long id) {
    return engine.delete(id);
  }

  @Override
  public boolean reportProgress(long id, long current, long total, String message) {
    return engine.reportProgress(id, current, total, message);
  }

  @Override
  public Optional<BatchStatus> batch(long group) {
    return engine.batch(group);
  }

  @Override
  public int cancelBatch(long group, String reason) {
    return engine.cancelBatch(group, reason);
  }

  @Override
  public QueueMetrics metrics(String queue) {
    return engine.metrics(queue);
  }

  @Override
  public List<String> queues() {
    return engine.queues();
  }

  @Override
  public QueueSpec<?, ?> queue(String queue) {
    return engine.queue(queue);
  }

  @Override
  public QueueControl control(String queue) {
    return engine.control(queue);
  }

  @Override
  public Supervisor supervisor(String name) {
    return engine.supervisor(name);
  }

  @Override
  public List<String> supervisors() {
    return engine.supervisors();
  }

  @Override
  public Subscription listen(String name, EventListener listener) {
    return engine.listen(name, listener);
  }

  @Override
  public ExecutorService executor(String queue) {
    return engine.executor(queue);
  }

  @Override
  public boolean isShuttingDown() {
    return engine.isShuttingDown();
  }

  @Override
  public void stopAccepting() {
    engine.stopAccepting();
  }

  @Override
  public ShutdownReport shutdown(Duration grace) {
    return engine.shutdown(grace);
  }

  @Override
  public Schedules schedules() {
    return engine.schedules();
  }

  @Override
  public void close() {
    engine.close();
  }
}
