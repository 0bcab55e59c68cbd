package io.errand.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A typed handle on one queue of an Errand, from {@link Errand#queue(QueueSpec)}: submits take
 * {@code A}, reads give {@link TaskResult}s whose result is an {@code R}, on every store.
 * Thread-safe; as cheap to keep as the spec it came from. The by-name methods of {@link Errand}
 * see the same tasks.
 *
 * <pre>{@code
 * TaskQueue<Mail, Receipt> mail = errand.queue(MAIL);
 * long id = mail.submit(new Mail("ada@example.com", "Welcome"));
 * Receipt receipt = mail.await(id).join().resultOrThrow();
 * }</pre>
 *
 * @param <A> the type of the queue's arguments
 * @param <R> the type of its handler's results
 */
public interface TaskQueue<A, R> {

  /** The queue's name. */
  String name();

  /** The spec the queue was declared with. */
  QueueSpec<A, R> spec();

  /**
   * Adds a task; see {@link Errand#submit(String, Object)}.
   *
   * @throws PayloadEncodingException if {@code args} cannot be written as JSON, naming where
   * @throws InvalidTaskException      if {@code args} is not acceptable otherwise
   * @throws QueueFullException        if the queue holds its capacity of waiting tasks
   * @throws ShuttingDownException     if the Errand is shutting down
   */
  long submit(A args);

  /**
   * Adds a task with {@code options}; see {@link Errand#submit(String, Object, SubmitOptions)}.
   *
   * @throws PayloadEncodingException if {@code args} cannot be written as JSON, naming where
   * @throws InvalidTaskException      if {@code args} or an option is not acceptable otherwise
   * @throws QueueFullException        if the queue holds its capacity of waiting tasks
   * @throws ShuttingDownException     if the Errand is shutting down
   */
  long submit(A args, SubmitOptions options);

  /**
   * Adds one task per element, all or none, as one group; see {@link Errand#submitBatch}.
   *
   * @throws QueueFullException if they do not all fit; none was added
   */
  BatchRef submitBatch(List<? extends A> args);

  /**
   * The task, typed, or empty if there is none with this id.
   *
   * @throws InvalidTaskException if the task belongs to another queue
   * @throws ErrandException      with code {@code unreadable_result} if its stored result does
   *     not read as {@code R} (the type changed since it was stored)
   */
  Optional<TaskResult<A, R>> get(long id);

  /**
   * A future completed with the task, typed, once it reaches a terminal status (never
   * exceptionally for a failed task: look at its status). Completes exceptionally with
   * {@link ErrandException} if there is no such task, with {@link InvalidTaskException} if it
   * belongs to another queue.
   */
  CompletableFuture<TaskResult<A, R>> await(long id);
}
