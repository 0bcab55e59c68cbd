package io.errand.spi.contract;

import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.spi.CancelAnswer;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.Deletion;
import io.errand.spi.EndAndNext;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.ProgressAnswer;
import io.errand.spi.TaskRecord;
import io.errand.spi.Tasks;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store's {@link Tasks} as the contract suite calls them: every call goes to the store, and
 * every task the answer holds or the call named is noted in a {@link TransitionLog}.
 */
final class ObservedTasks implements Tasks {
  private final Tasks tasks;
  private final TransitionLog log;

  ObservedTasks(Tasks tasks, TransitionLog log) {
    this.tasks = tasks;
    this.log = log;
  }

  /** Reads task {@code id} again and notes its status. */
  void look(long id) {
    tasks.find(id).ifPresent(log::saw);
  }

  @Override
  public Inserted insert(NewTask task) {
    Inserted inserted = tasks.insert(task);
    look(inserted.id());
    return inserted;
  }

  @Override
  public Optional<TaskRecord> find(long id) {
    Optional<TaskRecord> found = tasks.find(id);
    found.ifPresent(log::saw);
    return found;
  }

  @Override
  public Page<TaskRecord> list(TaskQuery query) {
    Page<TaskRecord> page = tasks.list(query);
    page.items().forEach(log::saw);
    return page;
  }

  @Override
  public Claim claim(String queue, String node, Instant now) {
    return saw(tasks.claim(queue, node, now));
  }

  @Override
  public List<TaskRecord> claim(String queue, String node, Instant now, int max) {
    List<TaskRecord> claimed = tasks.claim(queue, node, now, max);
    claimed.forEach(log::saw);
    return claimed;
  }

  @Override
  public Optional<Instant> nextDue(String queue) {
    return tasks.nextDue(queue);
  }

  @Override
  public ProgressAnswer progress(long id, int attempt, long current, long total,
      String message) {
    ProgressAnswer answer = tasks.progress(id, attempt, current, total, message);
    look(id);
    return answer;
  }

  @Override
  public Change finish(long id, int attempt, Outcome outcome, Instant at) {
    Change change = saw(tasks.finish(id, attempt, outcome, at));
    look(id);
    return change;
  }

  @Override
  public EndAndNext finishAndClaim(long id, int attempt, Outcome outcome, Instant at,
      String queue, String node) {
    EndAndNext both = tasks.finishAndClaim(id, attempt, outcome, at, queue, node);
    saw(both.ended());
    saw(both.next());
    look(id);
    return both;
  }

  @Override
  public Change reschedule(long id, int attempt, TaskError error, Instant runAt) {
    Change change = saw(tasks.reschedule(id, attempt, error, runAt));
    look(id);
    return change;
  }

  @Override
  public CancelAnswer requestCancel(long id, String reason, Instant at) {
    CancelAnswer answer = tasks.requestCancel(id, reason, at);
    switch (answer) {
      case CancelAnswer.NotFound n -> { }
      case CancelAnswer.Cancelled c -> log.saw(c.record());
      case CancelAnswer.StopRequested s -> log.saw(s.record());
      case CancelAnswer.AlreadyFinished f -> log.saw(f.record());
    }
    return answer;
  }

  @Override
  public long waiting(String queue) {
    return tasks.waiting(queue);
  }

  @Override
  public int purge(String queue, Instant before, int limit) {
    return tasks.purge(queue, before, limit);
  }

  @Override
  public Deletion delete(long id) {
    Deletion deletion = tasks.delete(id);
    if (deletion == Deletion.DELETED) {
      log.removed(id);
    }
    return deletion;
  }

  private Claim saw(Claim claim) {
    if (claim instanceof Claim.Claimed(TaskRecord record)) {
      log.saw(record);
    }
    return claim;
  }

  private Change saw(Change change) {
    if (change instanceof Change.Changed(TaskRecord record)) {
      log.saw(record);
    }
    return change;
  }
}
