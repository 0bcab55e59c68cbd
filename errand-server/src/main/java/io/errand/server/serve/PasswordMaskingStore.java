package io.errand.server.serve;

import io.errand.api.BatchStatus;
import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.common.UrlPasswords;
import io.errand.spi.CancelAnswer;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.Deletion;
import io.errand.spi.EndAndNext;
import io.errand.spi.ForwardingTaskStore;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.Groups;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.ProgressAnswer;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoredKey;
import io.errand.spi.SupervisedKeys;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The server's store, with every URL password masked ({@link UrlPasswords}) in what a task
 * record keeps: arguments, results, errors, progress messages, cancel reasons and supervised
 * keys' arguments. Every write of every handler, route and client passes here, so no task
 * record, no answer read from one and no SQLite or PostgreSQL file holds such a password;
 * handlers get the masked text too, as they read their task back from the record. Each role
 * of the store that writes text is wrapped (schedules by {@link MaskingSchedules}); the rest is
 * handed on as it is ({@link ForwardingTaskStore}): pauses and the history (counts and times)
 * hold no user text; searches only read what was written masked; the events the cluster role
 * logs come from the masked task rows, and the API and hooks mask every event they send
 * ({@code UrlPasswords.mask}).
 */
final class PasswordMaskingStore extends ForwardingTaskStore {
  private final Tasks tasks;
  private final Groups groups;
  private final SupervisedKeys keys;
  private final Optional<ScheduleStore> schedules;

  PasswordMaskingStore(TaskStore store) {
    super(store);
    this.tasks = new MaskingTasks(store);
    this.groups = new MaskingGroups(store);
    this.keys = new MaskingKeys(store);
    this.schedules = store.schedules().map(MaskingSchedules::new);
  }

  @Override
  public Tasks tasks() {
    return tasks;
  }

  @Override
  public Groups groups() {
    return groups;
  }

  @Override
  public SupervisedKeys keys() {
    return keys;
  }

  /** The store's schedules, if it keeps any, masked as {@link MaskingSchedules} says. */
  @Override
  public Optional<ScheduleStore> schedules() {
    return schedules;
  }

  /** The tasks, their arguments, results, errors, messages and cancel reasons masked. */
  private record MaskingTasks(TaskStore store) implements Tasks {
    @Override
    public Inserted insert(NewTask task) {
      return store.tasks().insert(masked(task));
    }

    @Override
    public Inserted insert(Connection connection, NewTask task) {
      return store.tasks().insert(connection, masked(task));
    }

    @Override
    public Optional<TaskRecord> find(long id) {
      return store.tasks().find(id);
    }

    @Override
    public Page<TaskRecord> list(TaskQuery query) {
      return store.tasks().list(query);
    }

    @Override
    public Claim claim(String queue, String node, Instant now) {
      return store.tasks().claim(queue, node, now);
    }

    @Override
    public Optional<Instant> nextDue(String queue) {
      return store.tasks().nextDue(queue);
    }

    @Override
    public ProgressAnswer progress(long id, int attempt, long current, long total,
        String message) {
      return store.tasks().progress(id, attempt, current, total, UrlPasswords.mask(message));
    }

    @Override
    public Change finish(long id, int attempt, Outcome outcome, Instant at) {
      return store.tasks().finish(id, attempt, masked(outcome), at);
    }

    @Override
    public EndAndNext finishAndClaim(long id, int attempt, Outcome outcome, Instant at,
        String queue, String node) {
      return store.tasks().finishAndClaim(id, attempt, masked(outcome), at, queue, node);
    }

    @Override
    public Change reschedule(long id, int attempt, TaskError error, Instant runAt) {
      return store.tasks().reschedule(id, attempt, masked(error), runAt);
    }

    @Override
    public CancelAnswer requestCancel(long id, String reason, Instant at) {
      return store.tasks().requestCancel(id, UrlPasswords.mask(reason), at);
    }

    @Override
    public long waiting(String queue) {
      return store.tasks().waiting(queue);
    }

    @Override
    public int purge(String queue, Instant before, int limit) {
      return store.tasks().purge(queue, before, limit);
    }

    @Override
    public Deletion delete(long id) {
      return store.tasks().delete(id);
    }
  }

  /** The groups, their tasks' arguments and the results handed along a chain masked. */
  private record MaskingGroups(TaskStore store) implements Groups {
    @Override
    public GroupInserted insert(List<NewTask> tasks, GroupKind kind) {
      return store.groups().insert(tasks.stream().map(PasswordMaskingStore::masked).toList(),
          kind);
    }

    @Override
    public GroupInserted insert(Connection connection, List<NewTask> tasks, GroupKind kind) {
      return store.groups().insert(connection,
          tasks.stream().map(PasswordMaskingStore::masked).toList(), kind);
    }

    @Override
    public void release(long id, Object previousResult, Instant now) {
      store.groups().release(id, UrlPasswords.maskValue(previousResult), now);
    }

    @Override
    public Optional<BatchStatus> status(long group) {
      return store.groups().status(group);
    }

    @Override
    public List<Long> live(long group) {
      return store.groups().live(group);
    }

    @Override
    public List<Long> members(long group) {
      return store.groups().members(group);
    }

    @Override
    public java.util.Map<Long, Long> heldCallbacks() {
      return store.groups().heldCallbacks();
    }
  }

  /** The supervised keys, their arguments masked. */
  private record MaskingKeys(TaskStore store) implements SupervisedKeys {
    @Override
    public void save(StoredKey key) {
      store.keys().save(new StoredKey(key.supervisor(), key.key(),
          UrlPasswords.maskValue(key.args()), key.paused()));
    }

    @Override
    public void remove(String supervisor, String key) {
      store.keys().remove(supervisor, key);
    }

    @Override
    public List<StoredKey> of(String supervisor) {
      return store.keys().of(supervisor);
    }
  }

  static NewTask masked(NewTask t) {
    Object args = UrlPasswords.maskValue(t.args());
    return args == t.args() ? t : t.withArgs(args);
  }

  private static Outcome masked(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Succeeded s -> new Outcome.Succeeded(UrlPasswords.maskValue(s.result()));
      case Outcome.Failed f -> new Outcome.Failed(masked(f.error()));
      case Outcome.Cancelled c -> new Outcome.Cancelled(UrlPasswords.mask(c.reason()),
          masked(c.error()), c.started());
    };
  }

  private static TaskError masked(TaskError e) {
    if (e == null) {
      return null;
    }
    List<TaskError.Cause> causes = e.causes().stream()
        .map(c -> new TaskError.Cause(c.type(), UrlPasswords.mask(c.message()))).toList();
    return new TaskError(e.attempt(), e.type(), UrlPasswords.mask(e.message()), e.at(), causes,
        UrlPasswords.mask(e.trace()), UrlPasswords.mask(e.output()));
  }
}
