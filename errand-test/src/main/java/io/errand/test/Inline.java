package io.errand.test;

import io.errand.api.QueueSpec;
import io.errand.api.TaskContext;
import io.errand.api.TaskHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * Inline mode: every handler runs on the thread that drives the test ({@link TestErrand}'s
 * submit, drain, await and advance), not on a worker. The engine still claims, times, retries
 * and records each task as usual; its worker hands the handler call over to the driving thread
 * and waits for the answer. A cancel or time-out that interrupts the worker is passed on to the
 * driving thread while it runs the handler.
 */
final class Inline {
  /** One handler call waiting for the driving thread. */
  private static final class Call {
    final TaskContext<Object> context;
    final TaskHandler<Object, Object> handler;
    final CompletableFuture<Object> answer = new CompletableFuture<>();
    volatile Thread runner;

    Call(TaskContext<Object> context, TaskHandler<Object, Object> handler) {
      this.context = context;
      this.handler = handler;
    }
  }

  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  /** How deep the current thread is in handlers it runs for the engine (a handler submits). */
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
  private final Wakeups wakeups;

  Inline(Wakeups wakeups) {
    this.wakeups = wakeups;
  }

  /** {@code spec} with its handler handed over to the driving thread. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  <A, R> QueueSpec<A, R> wrap(QueueSpec<A, R> spec) {
    TaskHandler<Object, Object> own = (TaskHandler) spec.handler();
    TaskHandler<A, R> handedOver = ctx -> (R) handOver((TaskContext) ctx, own);
    QueueSpec.Builder<A, R> b = spec.resultType().isPresent()
        ? QueueSpec.builder(spec.name(), spec.argsType(), spec.resultType().get(), handedOver)
        : QueueSpec.builder(spec.name(), spec.argsType(), handedOver);
    return b.workers(spec.workers()).capacity(spec.capacity()).timeout(spec.timeout())
        .attempts(spec.attempts()).backoff(spec.backoff()).cancelGrace(spec.cancelGrace())
        .retention(spec.retention()).threads(spec.threads()).idGenerator(spec.idGenerator())
        .build();
  }

  /** On a worker: waits for the driving thread to run the call, and answers as it did. */
  private Object handOver(TaskContext<Object> ctx, TaskHandler<Object, Object> handler)
      throws Exception {
    Call call = new Call(ctx, handler);
    calls.add(call);
    wakeups.bump();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return call.answer.get();
        } catch (InterruptedException stop) { // a cancel, a time-out or the shutdown
          if (calls.remove(call)) {
            throw stop; // never started: nothing runs it now
          }
          interrupted = true;
          Thread runner = call.runner;
          if (runner != null) {
            runner.interrupt();
          }
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof Exception ex) {
            throw ex;
          }
          throw (Error) cause;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Whether this thread is inside a handler it runs for the engine: a submit from there returns
   * at once (the handler's own worker is busy with it), and the drive it is part of runs the
   * new task once the handler has returned.
   */
  boolean insideHandler() {
    return depth.get()[0] > 0;
  }

  /** On the driving thread: runs the first waiting call; false if there was none. */
  boolean runOne() {
    Call call = calls.poll();
    if (call == null) {
      return false;
    }
    call.runner = Thread.currentThread();
    depth.get()[0]++;
    try {
      call.answer.complete(call.handler.run(call.context));
    } catch (Throwable t) {
      call.answer.completeExceptionally(t);
    } finally {
      call.runner = null;
      depth.get()[0]--;
      Thread.interrupted(); // an interrupt meant for this call must not reach the next
    }
    return true;
  }
}
