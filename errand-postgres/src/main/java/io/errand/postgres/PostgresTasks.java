package io.errand.postgres;

import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.jdbc.EncodedEnd;
import io.errand.spi.CancelAnswer;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.Deletion;
import io.errand.spi.EndAndNext;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.ProgressAnswer;
import io.errand.spi.StoredErrors;
import io.errand.spi.TaskRecord;
import io.errand.spi.Tasks;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The PostgreSQL store's tasks: each call one statement or one transaction on the pool. */
final class PostgresTasks implements Tasks {
  private final Supplier<Opened> opened;

  PostgresTasks(Supplier<Opened> opened) {
    this.opened = opened;
  }

  @Override
  public Inserted insert(NewTask task) {
    Opened o = opened.get();
    Inserts.checkId(task.id());
    String args = o.payloads.args(task);
    o.signalling.seen(task.queue());
    return o.writer.submit(task, args);
  }

  /**
   * Inserts {@code task} in the caller's transaction on {@code connection}, through a
   * savepoint; see {@link JoinedInserts}.
   */
  @Override
  public Inserted insert(Connection connection, NewTask task) {
    Opened o = opened.get();
    Inserts.checkId(task.id());
    String args = o.payloads.args(task);
    o.signalling.seen(task.queue());
    return o.joined.insert(connection, task, args);
  }

  @Override
  public Optional<TaskRecord> find(long id) {
    Opened o = opened.get();
    return Optional.ofNullable(o.record(o.db.autocommit(tx -> o.changes.row(tx, id))));
  }

  @Override
  public Page<TaskRecord> list(TaskQuery query) {
    return opened.get().list(query);
  }

  @Override
  public Claim claim(String queue, String node, Instant now) {
    Opened o = opened.get();
    o.signalling.seen(queue);
    return o.runnable(o.claiming(queue, tx -> o.attempts.claim(tx, queue, node, now)), queue,
        node, now);
  }

  /** Claims up to {@code max} tasks with one statement (and a marking, when one may be due). */
  @Override
  public List<TaskRecord> claim(String queue, String node, Instant now, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    Opened o = opened.get();
    o.signalling.seen(queue);
    return o.claim(queue, node, now, max);
  }

  @Override
  public Optional<Instant> nextDue(String queue) {
    Opened o = opened.get();
    o.signalling.seen(queue);
    Integer limit = o.attempts.limitOf(queue);
    PostgresFlow flow = o.attempts.flowOf(queue);
    return Optional.ofNullable(o.db.autocommit(tx -> {
      if (limit != null && o.attempts.running(tx, queue) >= limit) {
        return null;
      }
      Instant due = o.reads.nextDue(tx, queue);
      return flow == null || due == null ? due : flow.nextDue(tx, due, o.clock.instant());
    }));
  }

  @Override
  public ProgressAnswer progress(long id, int attempt, long current, long total, String message) {
    Opened o = opened.get();
    return o.db.autocommit(tx -> o.attempts.progress(tx, id, attempt, current, total, message))
        ? ProgressAnswer.RECORDED : ProgressAnswer.FENCED_OUT;
  }

  @Override
  public Change finish(long id, int attempt, Outcome outcome, Instant at) {
    Opened o = opened.get();
    EncodedEnd end = EncodedEnd.of(id, attempt, outcome, at, o.payloads.limit());
    return Change.ofNullable(o.changed(TaskStatus.RUNNING,
        o.db.autocommit(tx -> o.attempts.finish(tx, id, attempt, end, at))));
  }

  /** Ends the attempt and claims the next task in one transaction. */
  @Override
  public EndAndNext finishAndClaim(long id, int attempt, Outcome outcome, Instant at,
      String queue, String node) {
    return opened.get().finishAndClaim(id, attempt, outcome, at, queue, node);
  }

  @Override
  public Change reschedule(long id, int attempt, TaskError error, Instant runAt) {
    Opened o = opened.get();
    String encoded = StoredErrors.encode(error);
    String message = error == null ? null : error.message();
    return Change.ofNullable(o.changed(TaskStatus.RUNNING, o.db.transaction(tx ->
        o.attempts.reschedule(tx, id, attempt, encoded, message, runAt))));
  }

  @Override
  public CancelAnswer requestCancel(long id, String reason, Instant at) {
    Opened o = opened.get();
    Changes.CancelOutcome out = o.db.transaction(tx -> o.changes.requestCancel(tx, id, reason,
        at));
    return out == null ? CancelAnswer.NOT_FOUND
        : CancelAnswer.of(out.before(), o.changed(out.before(), out.row()));
  }

  @Override
  public long waiting(String queue) {
    Opened o = opened.get();
    return o.db.autocommit(tx -> o.reads.waiting(tx, queue));
  }

  @Override
  public int purge(String queue, Instant before, int limit) {
    Opened o = opened.get();
    return o.db.autocommit(tx -> o.changes.purge(tx, queue, before, limit));
  }

  @Override
  public Deletion delete(long id) {
    Opened o = opened.get();
    return o.db.autocommit(tx -> o.changes.delete(tx, id)) ? Deletion.DELETED
        : Deletion.NOTHING_DELETED;
  }
}
