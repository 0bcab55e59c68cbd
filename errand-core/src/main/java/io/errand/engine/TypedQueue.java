package io.errand.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.BatchRef;
import io.errand.api.Errand;
import io.errand.api.ErrandException;
import io.errand.api.InvalidSpecException;
import io.errand.api.InvalidTaskException;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQueue;
import io.errand.api.TaskResult;
import io.errand.api.TaskStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link TaskQueue} over an Errand's by-name methods. The stores already hand back arguments
 * and results as the queue's types; this handle checks the types and converts what a store
 * could only give as plain JSON values (a result stored before the queue declared its type).
 */
final class TypedQueue<A, R> implements TaskQueue<A, R> {
  private final Errand errand;
  private final QueueSpec<A, R> spec;
  private final Class<R> resultType;
  private final ObjectMapper mapper;

  private TypedQueue(Errand errand, QueueSpec<A, R> spec, Class<R> resultType,
      ObjectMapper mapper) {
    this.errand = errand;
    this.spec = spec;
    this.resultType = resultType;
    this.mapper = mapper;
  }

  /**
   * The handle on {@code declared} as {@code asked}.
   *
   * @throws InvalidSpecException if {@code asked} has no result type, or types other than
   *     {@code declared}'s
   */
  static <A, R> TypedQueue<A, R> of(Errand errand, QueueSpec<?, ?> declared,
      QueueSpec<A, R> asked, ObjectMapper mapper) {
    Class<R> resultType = asked.resultType().orElseThrow(() -> new InvalidSpecException(
        "queue '" + asked.name() + "' has no result type, so its results cannot be typed;"
            + " declare it with QueueSpec.builder(name, argsType, resultType, handler)"));
    if (declared.argsType() != asked.argsType()
        || !declared.resultType().equals(asked.resultType())) {
      throw new InvalidSpecException("queue '" + asked.name() + "' was declared with arguments "
          + declared.argsType().getName() + " and results " + declared.resultType()
              .<String>map(Class::getName).orElse("(undeclared)")
          + ", not " + asked.argsType().getName() + " and " + resultType.getName()
          + "; ask for the spec it was declared with");
    }
    return new TypedQueue<>(errand, asked, resultType, mapper);
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public QueueSpec<A, R> spec() {
    return spec;
  }

  @Override
  public long submit(A args) {
    return errand.submit(spec.name(), args);
  }

  @Override
  public long submit(A args, SubmitOptions options) {
    return errand.submit(spec.name(), args, options);
  }

  @Override
  public BatchRef submitBatch(List<? extends A> args) {
    return errand.submitBatch(spec.name(), args);
  }

  @Override
  public Optional<TaskResult<A, R>> get(long id) {
    return errand.get(id).map(this::typed);
  }

  @Override
  public CompletableFuture<TaskResult<A, R>> await(long id) {
    return errand.await(id).thenApply(this::typed);
  }

  private TaskResult<A, R> typed(TaskInfo info) {
    if (!info.queue().equals(spec.name())) {
      throw new InvalidTaskException("task " + info.id() + " belongs to queue '" + info.queue()
          + "', not '" + spec.name() + "'");
    }
    A args = spec.argsType().isInstance(info.args()) ? spec.argsType().cast(info.args())
        : convert(info, info.args(), spec.argsType(), "arguments");
    R result = info.status() != TaskStatus.SUCCESS ? null
        : resultType.isInstance(info.response()) ? resultType.cast(info.response())
        : convert(info, info.response(), resultType, "result");
    return new TaskResult<>(info, args, result);
  }

  private <T> T convert(TaskInfo info, Object value, Class<T> type, String what) {
    if (value == null) {
      return null;
    }
    try {
      return mapper.convertValue(value, type);
    } catch (IllegalArgumentException e) {
      throw new ErrandException("unreadable_" + (what.equals("result") ? "result" : "args"),
          "the stored " + what + " of task " + info.id() + " cannot be read as "
              + type.getName() + " (the type changed since it was stored?): " + e.getMessage(),
          e);
    }
  }
}
