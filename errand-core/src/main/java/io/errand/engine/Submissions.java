package io.errand.engine;

import io.errand.api.BatchCallback;
import io.errand.api.BatchRef;
import io.errand.api.ChainStep;
import io.errand.api.InvalidTaskException;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.Uniqueness;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.TaskStore;
import java.sql.Connection;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns submits into inserts: checks the arguments against the queue, admits the submit past
 * the lifecycle (refused once shutdown began), numbers it through the queue's id generator if
 * it has one. (The store announces what it inserted: see {@code StoreSignals.added}.)
 */
final class Submissions {
  private final TaskStore store;
  private final InstantSource clock;
  private final Lifecycle lifecycle;
  private final Completions completions;
  private final Function<String, QueueSpec<?, ?>> queues;

  Submissions(TaskStore store, InstantSource clock, Lifecycle lifecycle, Completions completions,
      Function<String, QueueSpec<?, ?>> queues) {
    this.store = store;
    this.clock = clock;
    this.lifecycle = lifecycle;
    this.completions = completions;
    this.queues = queues;
  }

  Inserted submit(String queue, Object args, SubmitOptions options) {
    return insert(queue, args, options, t -> store.tasks().insert(t));
  }

  /** A submit inside the caller's transaction on {@code connection}. */
  Inserted submitIn(Connection connection, String queue, Object args, SubmitOptions options) {
    return insert(queue, args, options, t -> store.tasks().insert(connection, t));
  }

  private Inserted insert(String queue, Object args, SubmitOptions options,
      Function<NewTask, Inserted> insert) {
    QueueSpec<?, ?> spec = queues.apply(queue);
    checkArgs(spec, args);
    SubmitOptions o = options == null ? SubmitOptions.DEFAULTS : options;
    lifecycle.enterSubmit(queue);
    try {
      Instant now = clock.instant();
      return insert.apply(newTask(spec, args, now, runAt(o, now), o.priority(), o.key(),
          o.uniqueness()));
    } finally {
      lifecycle.exitSubmit();
    }
  }

  /**
   * A batch inside the caller's transaction on {@code connection}: not tracked for its
   * BATCH_FINISHED, since this node cannot know whether the caller commits.
   */
  BatchRef batchIn(Connection connection, String queue, List<?> args) {
    List<ChainStep> steps = batchSteps(queue, args);
    lifecycle.enterSubmit(null);
    try {
      GroupInserted g = store.groups().insert(connection, newTasks(steps), GroupKind.BATCH);
      return new BatchRef(g.group(), g.ids());
    } finally {
      lifecycle.exitSubmit();
    }
  }

  BatchRef batch(String queue, List<?> args) {
    return insertGroup(batchSteps(queue, args), GroupKind.BATCH);
  }

  /** A batch whose last task is {@code callback}, held until the batch ends. */
  BatchRef batch(String queue, List<?> args, BatchCallback callback) {
    if (callback == null) {
      return batch(queue, args);
    }
    List<ChainStep> steps = batchSteps(queue, args);
    checkArgs(queues.apply(callback.queue()), callback.args());
    steps.add(new ChainStep(callback.queue(), callback.args()));
    return insertGroup(steps, callback.trigger() == BatchCallback.Trigger.ON_SUCCESS
        ? GroupKind.BATCH_CALLBACK_ON_SUCCESS : GroupKind.BATCH_CALLBACK_ON_END);
  }

  private List<ChainStep> batchSteps(String queue, List<?> args) {
    QueueSpec<?, ?> spec = queues.apply(queue);
    if (args == null || args.isEmpty()) {
      throw new InvalidTaskException("a batch needs at least one task's arguments, got none");
    }
    List<ChainStep> steps = new ArrayList<>(args.size());
    for (Object a : args) {
      checkArgs(spec, a);
      steps.add(new ChainStep(queue, a));
    }
    return steps;
  }

  BatchRef chain(List<ChainStep> steps) {
    if (steps == null || steps.isEmpty()) {
      throw new InvalidTaskException("a chain needs at least one step, got none");
    }
    steps.forEach(s -> checkArgs(queues.apply(s.queue()), s.args()));
    return insertGroup(steps, GroupKind.CHAIN);
  }

  private BatchRef insertGroup(List<ChainStep> steps, GroupKind kind) {
    lifecycle.enterSubmit(null);
    try {
      GroupInserted g = store.groups().insert(newTasks(steps), kind);
      if (kind.hasCallback()) {
        List<Long> ids = g.ids().subList(0, g.ids().size() - 1);
        completions.trackGroup(g.group(), ids.size(), steps.get(0).queue());
        return new BatchRef(g.group(), ids, g.ids().get(g.ids().size() - 1));
      }
      completions.trackGroup(g.group(), g.ids().size(), steps.get(0).queue());
      return new BatchRef(g.group(), g.ids());
    } finally {
      lifecycle.exitSubmit();
    }
  }

  private List<NewTask> newTasks(List<ChainStep> steps) {
    Instant now = clock.instant();
    List<NewTask> tasks = new ArrayList<>(steps.size());
    for (ChainStep s : steps) {
      tasks.add(newTask(queues.apply(s.queue()), s.args(), now, now, 0, null, null));
    }
    return tasks;
  }

  private static NewTask newTask(QueueSpec<?, ?> spec, Object args, Instant now, Instant runAt,
      int priority, String key, Uniqueness uniqueness) {
    long id = 0;
    if (spec.idGenerator() != null) {
      id = spec.idGenerator().getAsLong();
      if (id <= 0) {
        throw new InvalidTaskException("the id generator of queue '" + spec.name()
            + "' returned " + id + "; task ids must be positive");
      }
    }
    return new NewTask(spec.name(), id, args, now, runAt, priority, key, spec.capacity(),
        uniqueness);
  }

  private static Instant runAt(SubmitOptions o, Instant now) {
    if (o.runAt() != null) {
      return o.runAt();
    }
    if (o.delay() == null) {
      return now;
    }
    Instant at = now.plus(o.delay()); // delay is at most 100 years: Instant cannot overflow
    if (!SubmitOptions.isRunAt(at)) { // only a clock near the year 9999 gets here
      throw new InvalidTaskException("delay " + o.delay() + " from now (" + now + ") ends at "
          + at + "; the time to run at must be " + SubmitOptions.RUN_AT_RANGE);
    }
    return at;
  }

  private static void checkArgs(QueueSpec<?, ?> spec, Object args) {
    if (args != null && !spec.argsType().isInstance(args)) {
      throw new InvalidTaskException("queue '" + spec.name() + "' takes arguments of type "
          + spec.argsType().getName() + ", got " + args.getClass().getName());
    }
  }
}
