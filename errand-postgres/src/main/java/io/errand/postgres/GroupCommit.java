package io.errand.postgres;

import io.errand.jdbc.StoreThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that writes what many callers hand it, in batches, each caller waiting for the
 * commit that holds its request ({@link SubmitWriter}, {@link Completer}). The thread takes every
 * request pending when it is free, at most {@code maxBatch}, and gives them to the writer; no timer
 * waits for a batch to fill, so a lone request is a batch of one and is not delayed.
 *
 * <p>The writer must answer every request of the batch it is given; {@link #transaction} fails
 * them all if the database fails. Requests still pending when the group commit closes are refused
 * with an {@link IllegalStateException}, never left waiting.
 *
 * @param <A> what a request is answered
 * @param <R> a request
 */
final class GroupCommit<A, R extends GroupCommit.Request<A>> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** A caller's request, with the future its caller waits on. */
  interface Request<A> {
    /** Completed by the writer: the request's answer, or why it failed. */
    CompletableFuture<A> answer();
  }

  private final String name;
  private final int maxBatch;
  private final Consumer<List<R>> writer;
  private final Function<R, String> unwritten;
  private final LinkedBlockingQueue<R> pending = new LinkedBlockingQueue<>();
  private final AtomicLong batches = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * Makes the thread {@code name} (not started: {@link #start}), which hands {@code writer}
   * batches of at most {@code maxBatch} requests; {@code unwritten} says, for a request refused at
   * close, what was not stored.
   */
  GroupCommit(String name, int maxBatch, Consumer<List<R>> writer,
      Function<R, String> unwritten) {
    this.name = name;
    this.maxBatch = maxBatch;
    this.writer = writer;
    this.unwritten = unwritten;
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
  }

  /**
   * Starts the thread; called once its owner is fully built, since the writer runs on it.
   */
  void start() {
    thread.start();
  }

  /**
   * Queues {@code request} for the next batch and waits for its answer.
   *
   * @throws RuntimeException      what the writer failed the request with, unwrapped
   * @throws IllegalStateException if the group commit was closed before the request was written
   */
  A await(R request) {
    pending.add(request);
    if (closed) {
      refuseAll();
    }
    try {
      return request.answer().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Runs {@code work}, one transaction for {@code batch}, and answers what it returns; if it
   * throws, fails every request of {@code batch} with that and answers null.
   */
  <T> T transaction(List<R> batch, Supplier<T> work) {
    batches.incrementAndGet();
    try {
      return work.get();
    } catch (RuntimeException | Error e) {
      for (R r : batch) {
        r.answer().completeExceptionally(e);
      }
      if (e instanceof Error) {
        log.error("the group commit thread {} failed", name, e);
      }
      return null;
    }
  }

  /** How many transactions were begun (for tests). */
  long batches() {
    return batches.get();
  }

  /** How many requests wait for the thread to take them (for tests). */
  int pending() {
    return pending.size();
  }

  private void run() {
    List<R> batch = new ArrayList<>();
    while (!closed) {
      try {
        batch.add(pending.take());
      } catch (InterruptedException e) {
        break; // closing
      }
      pending.drainTo(batch, maxBatch - 1);
      writer.accept(batch);
      batch.clear();
    }
    refuseAll();
  }

  private void refuseAll() {
    R r;
    while ((r = pending.poll()) != null) {
      r.answer().completeExceptionally(new IllegalStateException(
          "the PostgreSQL store was closed before " + unwritten.apply(r)));
    }
  }

  /** Stops the thread after the batch it is writing; refuses the requests still pending. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    StoreThreads.joinUninterruptibly(thread);
    refuseAll();
  }
}
