package io.errand.sqlite;

import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.jdbc.Paging;
import io.errand.jdbc.StoredTask;
import io.errand.jdbc.UnreadableArgs;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The SQLite store's tasks: writes through the single writer, reads on the reader. */
final class SqliteTasks implements Tasks {
  private final Supplier<Opened> opened;

  SqliteTasks(Supplier<Opened> opened) {
    this.opened = opened;
  }

  @Override
  public Inserted insert(NewTask task) {
    Opened o = opened.get();
    String args = o.payloads.args(task);
    return o.writer.call(tx -> o.writes.insert(tx, task, args));
  }

  @Override
  public Optional<TaskRecord> find(long id) {
    Opened o = opened.get();
    return Optional.ofNullable(o.record(o.reads.find(id)));
  }

  @Override
  public Page<TaskRecord> list(TaskQuery query) {
    Opened o = opened.get();
    return Paging.page(o.reads.list(query), query.limit(), o.payloads.codec());
  }

  @Override
  public Claim claim(String queue, String node, Instant now) {
    Opened o = opened.get();
    if (o.writer.committedWaiting(queue) <= 0 || o.writes.paused.containsKey(queue)) {
      return Claim.NONE_DUE; // nothing to take: no need to queue behind the writer
    }
    long at = Row.micros(now);
    return runnable(o, o.writer.call(tx -> o.writes.claim(tx, queue, node, at)), queue, node,
        now);
  }

  /**
   * Claims up to {@code max} tasks in one request to the writer: one commit for all. Those
   * whose arguments cannot be read are failed and left out, so fewer may come back.
   */
  @Override
  public List<TaskRecord> claim(String queue, String node, Instant now, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    Opened o = opened.get();
    if (o.writer.committedWaiting(queue) <= 0 || o.writes.paused.containsKey(queue)) {
      return List.of(); // nothing to take: no need to queue behind the writer
    }
    long at = Row.micros(now);
    List<Row> rows = o.writer.call(tx -> {
      List<Row> claimed = new ArrayList<>();
      Row row;
      while (claimed.size() < max && (row = o.writes.claim(tx, queue, node, at)) != null) {
        claimed.add(row);
      }
      return claimed;
    });
    List<TaskRecord> runnable = new ArrayList<>(rows.size());
    for (Row row : rows) {
      if (UnreadableArgs.runnable(stored(row), o.payloads.codec(), () -> null,
          (claimed, error, message) -> failUnreadable(o, claimed, error, message, at), now)
          instanceof Claim.Claimed(TaskRecord rec)) {
        runnable.add(rec);
      }
    }
    return runnable;
  }

  /**
   * The claim of {@code row}, or, if its arguments cannot be read, of the next one claimed
   * ({@link UnreadableArgs}).
   */
  private Claim runnable(Opened o, Row row, String queue, String node, Instant now) {
    long at = Row.micros(now);
    return UnreadableArgs.runnable(stored(row), o.payloads.codec(),
        () -> stored(o.writer.call(tx -> o.writes.claim(tx, queue, node, at))),
        (claimed, error, message) -> failUnreadable(o, claimed, error, message, at), now);
  }

  /** Ends a claimed task whose arguments cannot be read FAILURE, and raises its end. */
  private void failUnreadable(Opened o, StoredTask row, TaskError error, String message,
      long at) {
    Row failed = o.writer.call(tx -> o.writes.fail(tx, row.id(), row.attempt(),
        StoredErrors.encode(error), message, at));
    if (failed != null) { // its awaiters and events, as any end
      o.signals.ended(o.changed(TaskStatus.RUNNING, failed));
    }
  }

  private static StoredTask stored(Row row) {
    return row == null ? null : row.stored();
  }

  @Override
  public Optional<Instant> nextDue(String queue) {
    Opened o = opened.get();
    if (o.writes.paused.containsKey(queue)) {
      return Optional.empty(); // none of its tasks becomes claimable before a resume
    }
    Integer limit = o.writes.limits.get(queue);
    if (limit != null && o.reads.running(queue) >= limit) {
      return Optional.empty(); // full: a running task's end makes room, not time
    }
    Long due = o.reads.nextDue(queue);
    SqliteFlow flow = o.writes.flows.get(queue);
    if (flow != null && due != null) {
      due = flow.nextDue(due, Row.micros(o.writes.clock.instant()));
    }
    return due == null ? Optional.empty() : Optional.of(Row.instant(due));
  }

  @Override
  public ProgressAnswer progress(long id, int attempt, long current, long total, String message) {
    Opened o = opened.get();
    return o.writer.call(tx -> o.writes.progress(tx, id, attempt, current, total, message))
        ? ProgressAnswer.RECORDED : ProgressAnswer.FENCED_OUT;
  }

  @Override
  public Change finish(long id, int attempt, Outcome outcome, Instant at) {
    Opened o = opened.get();
    return Change.ofNullable(o.changed(TaskStatus.RUNNING,
        o.writer.call(o.ends.of(id, attempt, outcome, at))));
  }

  /** Ends the attempt and claims the next task in one request: one commit for both. */
  @Override
  public EndAndNext finishAndClaim(long id, int attempt, Outcome outcome, Instant at,
      String queue, String node) {
    Opened o = opened.get();
    Writer.Op<Row> end = o.ends.of(id, attempt, outcome, at);
    long now = Row.micros(at);
    EndedAndClaimed rows = o.writer.call(tx -> new EndedAndClaimed(end.run(tx),
        o.writes.claim(tx, queue, node, now)));
    return new EndAndNext(Change.ofNullable(o.changed(TaskStatus.RUNNING, rows.ended())),
        runnable(o, rows.claimed(), queue, node, at));
  }

  /** What {@link #finishAndClaim}'s one request answers, as stored. */
  private record EndedAndClaimed(Row ended, Row claimed) {}

  @Override
  public Change reschedule(long id, int attempt, TaskError error, Instant runAt) {
    Opened o = opened.get();
    String encoded = error == null ? null : StoredErrors.encode(error);
    String message = error == null ? null : error.message();
    long at = Row.micros(runAt);
    return Change.ofNullable(o.changed(TaskStatus.RUNNING,
        o.writer.call(tx -> o.writes.reschedule(tx, id, attempt, encoded, message, at))));
  }

  @Override
  public CancelAnswer requestCancel(long id, String reason, Instant at) {
    Opened o = opened.get();
    long when = Row.micros(at);
    Writes.CancelOutcome out = o.writer.call(tx -> o.writes.requestCancel(tx, id, reason, when));
    return out == null ? CancelAnswer.NOT_FOUND
        : CancelAnswer.of(out.before(), o.changed(out.before(), out.row()));
  }

  @Override
  public long waiting(String queue) {
    return opened.get().writer.committedWaiting(queue);
  }

  @Override
  public int purge(String queue, Instant before, int limit) {
    Opened o = opened.get();
    long cutoff = Row.micros(before);
    return o.writer.call(tx -> o.writes.purge(tx, queue, cutoff, limit));
  }

  @Override
  public Deletion delete(long id) {
    Opened o = opened.get();
    return o.writer.call(tx -> o.writes.delete(tx, id)) ? Deletion.DELETED
        : Deletion.NOTHING_DELETED;
  }
}
