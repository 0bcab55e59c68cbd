package io.errand.server.serve;

import io.errand.api.BatchStatus;
import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.server.handler.UrlPasswords;
import io.errand.spi.CancelAnswer;
import io.errand.spi.EndAndNext;
import io.errand.spi.GroupInserted;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.StoreContext;
import io.errand.spi.StoredKey;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The server's store, with every URL password masked ({@link UrlPasswords}) in what a task
 * record keeps: arguments, results, errors, progress messages, cancel reasons and supervised
 * keys' arguments. Every write of every handler, route and client passes here, so no task
 * record, no answer read from one and no SQLite or PostgreSQL file holds such a password;
 * handlers get the masked text too, as they read their task back from the record.
 */
final class PasswordMaskingStore implements TaskStore {
  private final TaskStore store;

  PasswordMaskingStore(TaskStore store) {
    this.store = store;
  }

  @Override
  public void open(StoreContext context) {
    store.open(context);
  }

  @Override
  public boolean durable() {
    return store.durable();
  }

  @Override
  public boolean shared() {
    return store.shared();
  }

  @Override
  public Inserted insert(NewTask task) {
    return store.insert(masked(task));
  }

  @Override
  public GroupInserted insertGroup(List<NewTask> tasks, boolean chained) {
    return store.insertGroup(tasks.stream().map(PasswordMaskingStore::masked).toList(), chained);
  }

  @Override
  public Optional<TaskRecord> find(long id) {
    return store.find(id);
  }

  @Override
  public Page<TaskRecord> list(TaskQuery query) {
    return store.list(query);
  }

  @Override
  public TaskRecord claim(String queue, String node, Instant now) {
    return store.claim(queue, node, now);
  }

  @Override
  public Optional<Instant> nextDue(String queue) {
    return store.nextDue(queue);
  }

  @Override
  public boolean progress(long id, int attempt, long current, long total, String message) {
    return store.progress(id, attempt, current, total, UrlPasswords.mask(message));
  }

  @Override
  public TaskRecord finish(long id, int attempt, Outcome outcome, Instant at) {
    return store.finish(id, attempt, masked(outcome), at);
  }

  @Override
  public EndAndNext finishAndClaim(long id, int attempt, Outcome outcome, Instant at,
      String queue, String node) {
    return store.finishAndClaim(id, attempt, masked(outcome), at, queue, node);
  }

  @Override
  public TaskRecord reschedule(long id, int attempt, TaskError error, Instant runAt) {
    return store.reschedule(id, attempt, masked(error), runAt);
  }

  @Override
  public CancelAnswer requestCancel(long id, String reason, Instant at) {
    return store.requestCancel(id, UrlPasswords.mask(reason), at);
  }

  @Override
  public void release(long id, Object previousResult, Instant now) {
    store.release(id, UrlPasswords.maskValue(previousResult), now);
  }

  @Override
  public Optional<BatchStatus> group(long group) {
    return store.group(group);
  }

  @Override
  public List<Long> liveInGroup(long group) {
    return store.liveInGroup(group);
  }

  @Override
  public long waiting(String queue) {
    return store.waiting(queue);
  }

  @Override
  public int purge(String queue, Instant before, int limit) {
    return store.purge(queue, before, limit);
  }

  @Override
  public boolean delete(long id) {
    return store.delete(id);
  }

  @Override
  public void saveKey(StoredKey key) {
    store.saveKey(new StoredKey(key.supervisor(), key.key(), UrlPasswords.maskValue(key.args()),
        key.paused()));
  }

  @Override
  public void removeKey(String supervisor, String key) {
    store.removeKey(supervisor, key);
  }

  @Override
  public List<StoredKey> keys(String supervisor) {
    return store.keys(supervisor);
  }

  @Override
  public void close() {
    store.close();
  }

  private static NewTask masked(NewTask t) {
    Object args = UrlPasswords.maskValue(t.args());
    return args == t.args() ? t : new NewTask(t.queue(), t.id(), args, t.createdAt(), t.runAt(),
        t.priority(), t.key(), t.capacity());
  }

  private static Outcome masked(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Succeeded s -> new Outcome.Succeeded(UrlPasswords.maskValue(s.result()));
      case Outcome.Failed f -> new Outcome.Failed(masked(f.error()));
      case Outcome.Cancelled c ->
          new Outcome.Cancelled(UrlPasswords.mask(c.reason()), masked(c.error()));
    };
  }

  private static TaskError masked(TaskError e) {
    return e == null ? null
        : new TaskError(e.attempt(), e.type(), UrlPasswords.mask(e.message()), e.at());
  }
}
