package io.errand.memory;

import io.errand.api.OnConflict;
import io.errand.api.Page;
import io.errand.api.QueueFullException;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.api.Uniqueness;
import io.errand.spi.CancelAnswer;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.Deletion;
import io.errand.spi.EndAndNext;
import io.errand.spi.EpochMicros;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.ProgressAnswer;
import io.errand.spi.StoreSignals;
import io.errand.spi.TaskRecord;
import io.errand.spi.Tasks;
import io.errand.spi.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The memory store's tasks. Each queue ({@link Lane}) has its own lock; every status change
 * goes through {@link Rec#moveTo}, which checks it against the transition table.
 */
final class MemoryTasks implements Tasks {
  private final MemoryState state;

  MemoryTasks(MemoryState state) {
    this.state = state;
  }

  @Override
  public Inserted insert(NewTask given) {
    NewTask task = state.copied(given); // outside the lock: it runs the user's ObjectMapper
    Lane lane = state.lane(task.queue());
    long now = Rec.micros(task.createdAt());
    StoreSignals signals = state.signals();
    Flow flow = lane.flow;
    String flowKey = flow == null ? null : flow.keyOf(task.key(), task.args()); // unlocked
    Inserted answer;
    lane.lock.lock();
    try {
      Rec holder = task.key() == null ? null : holder(lane, task);
      if (holder != null) {
        answer = resolve(lane, holder, task, now);
      } else {
        if (lane.waiting >= task.capacity()) {
          throw new QueueFullException(task.queue(), task.capacity());
        }
        Rec rec = state.index.add(task);
        if (flow == lane.flow) {
          rec.flowKey = flowKey;
        }
        lane.waiting++;
        if (task.key() != null) {
          lane.liveKeys.put(task.key(), rec);
        }
        signals.added(rec.id, rec.queue, rec.key, rec.createdAt); // before any claim can see it
        lane.enqueue(rec, now);
        answer = new Inserted.Created(rec.id);
      }
    } finally {
      lane.lock.unlock();
    }
    if (!(answer instanceof Inserted.AlreadyLive)) {
      signals.workAvailable(task.queue()); // new, or a debounced run time may have come nearer
    }
    return answer;
  }

  /** The task that holds {@code task}'s key: the live one, or a finished one it counts. */
  private Rec holder(Lane lane, NewTask task) {
    Rec live = lane.liveKeys.get(task.key());
    if (live != null || !task.hasRichUniqueness()) {
      return live;
    }
    Uniqueness u = task.effectiveUniqueness();
    Rec[] finished = lane.finishedKeys.get(task.key());
    Rec best = null;
    if (finished != null) {
      for (Rec r : finished) {
        if (r != null && state.index.holds(r) && u.holds(r.status(), r.createdAt, task.createdAt())
            && (best == null || r.createdAt.isAfter(best.createdAt))) {
          best = r;
        }
      }
    }
    return best;
  }

  /** What a submit does to {@code holder}, as its uniqueness's conflict mode says. */
  private Inserted resolve(Lane lane, Rec holder, NewTask task, long nowMicros) {
    OnConflict how = task.effectiveUniqueness().onConflict();
    if (holder.status() != TaskStatus.WAITING || how instanceof OnConflict.ReturnExisting) {
      return new Inserted.AlreadyLive(holder.id);
    }
    switch (how) {
      case OnConflict.ReplaceArgs r -> holder.args = task.args();
      case OnConflict.Debounce d when !task.runAt().isAfter(holder.runAt) -> {
        // only ever later: nothing to move
      }
      case OnConflict.Debounce d -> {
        Rec moved = holder.movedTo(task.runAt());
        state.index.replace(holder, moved);
        lane.liveKeys.put(moved.key, moved);
        lane.enqueue(moved, nowMicros);
      }
      case OnConflict.ReturnExisting r -> throw new AssertionError("answered above");
    }
    return new Inserted.Updated(holder.id, how);
  }

  @Override
  public Optional<TaskRecord> find(long id) {
    Rec r = state.index.get(id);
    return r == null ? Optional.empty() : Optional.of(state.locked(r, Rec::snapshot));
  }

  @Override
  public Page<TaskRecord> list(TaskQuery query) {
    return state.index.newestFirst(query.queue(), query.cursor(), query.limit(),
        r -> state.locked(r, x -> query.status() == null || x.status() == query.status()
            ? x.snapshot() : null)); // filter before building the snapshot
  }

  @Override
  public Claim claim(String queue, String node, Instant now) {
    Lane lane = state.lanes.get(queue);
    if (lane == null) {
      return Claim.NONE_DUE;
    }
    lane.lock.lock();
    try {
      Rec r = claimLocked(lane, node, now, Rec.micros(now));
      return r == null ? Claim.NONE_DUE : new Claim.Claimed(r.snapshot());
    } finally {
      lane.lock.unlock();
    }
  }

  /** Up to {@code max} due tasks of {@code queue}, claimed under one hold of its lock. */
  @Override
  public List<TaskRecord> claim(String queue, String node, Instant now, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    Lane lane = state.lanes.get(queue);
    if (lane == null) {
      return List.of();
    }
    long nowMicros = Rec.micros(now);
    List<TaskRecord> claimed = new ArrayList<>(Math.min(max, 32));
    lane.lock.lock();
    try {
      Rec r;
      while (claimed.size() < max && (r = claimLocked(lane, node, now, nowMicros)) != null) {
        claimed.add(r.snapshot());
      }
    } finally {
      lane.lock.unlock();
    }
    return claimed;
  }

  /**
   * Ends the attempt and claims the worker's next task under one hold of the lane's lock (the
   * default takes it twice: the submitting thread contends for it with every worker).
   */
  @Override
  public EndAndNext finishAndClaim(long id, int attempt, Outcome given, Instant at,
      String queue, String node) {
    Rec r = state.index.get(id);
    if (r == null || !r.queue.equals(queue)) {
      return Tasks.super.finishAndClaim(id, attempt, given, at, queue, node);
    }
    Outcome outcome = state.copied(id, r.queue, attempt, given, at); // outside the lock
    Lane lane = state.lanes.get(r.queue);
    lane.lock.lock();
    try {
      Change ended = finishLocked(lane, r, attempt, outcome, at);
      Rec next = claimLocked(lane, node, at, Rec.micros(at));
      return new EndAndNext(ended, next == null ? Claim.NONE_DUE
          : new Claim.Claimed(next.snapshot()));
    } finally {
      lane.lock.unlock();
    }
  }

  /** The most urgent due task of {@code lane}, moved to RUNNING for {@code node}, or null. */
  private static Rec claimLocked(Lane lane, String node, Instant now, long nowMicros) {
    Instant at = lane.flow == null ? now : lane.flow.notBefore(now);
    long atMicros = at == now ? nowMicros : Rec.micros(at);
    Rec r = lane.claimable() ? lane.pollDue(atMicros) : null;
    if (r == null) {
      return null;
    }
    lane.waiting--;
    lane.started(r, at, atMicros);
    r.moveTo(TaskStatus.RUNNING);
    r.attempt++;
    r.startedAt = at;
    r.node = node;
    r.cancelRequested = false;
    r.cancelReason = null;
    return r;
  }

  @Override
  public Optional<Instant> nextDue(String queue) {
    Lane lane = state.lanes.get(queue);
    if (lane == null) {
      return Optional.empty();
    }
    lane.lock.lock();
    try {
      long due = lane.claimable() ? lane.nextDueMicros(Rec.micros(state.clock().instant())) : Long.MAX_VALUE;
      return due == Long.MAX_VALUE ? Optional.empty()
          : Optional.of(EpochMicros.instant(due));
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public ProgressAnswer progress(long id, int attempt, long current, long total, String message) {
    Rec r = state.index.get(id);
    if (r == null) {
      return ProgressAnswer.FENCED_OUT;
    }
    Lane lane = state.lanes.get(r.queue);
    lane.lock.lock();
    try {
      if (!isRunning(r, attempt)) {
        return ProgressAnswer.FENCED_OUT;
      }
      r.current = current;
      r.total = total;
      r.message = message;
      return ProgressAnswer.RECORDED;
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public Change finish(long id, int attempt, Outcome given, Instant at) {
    Rec r = state.index.get(id);
    if (r == null) {
      return Change.FENCED_OUT;
    }
    Outcome outcome = state.copied(id, r.queue, attempt, given, at); // outside the lock
    Lane lane = state.lanes.get(r.queue);
    lane.lock.lock();
    try {
      return finishLocked(lane, r, attempt, outcome, at);
    } finally {
      lane.lock.unlock();
    }
  }

  private static Change finishLocked(Lane lane, Rec r, int attempt, Outcome outcome,
      Instant at) {
    if (!isRunning(r, attempt)) {
      return Change.FENCED_OUT;
    }
    r.moveTo(Transition.end(outcome).to());
    lane.ended(r);
    switch (outcome) {
      case Outcome.Succeeded s -> r.response = s.result();
      case Outcome.Failed f -> {
        r.addError(f.error());
        r.response = f.error();
        r.message = f.error().message();
      }
      case Outcome.Cancelled c -> {
        r.cancelReason = c.reason();
        r.message = c.reason();
        if (c.error() != null) {
          r.addError(c.error());
        }
        if (!c.started()) {
          r.attempt--; // its handler never began: the attempt is not charged
        }
      }
    }
    r.node = null;
    lane.retire(r, at);
    return new Change.Changed(r.snapshot());
  }

  @Override
  public Change reschedule(long id, int attempt, TaskError error, Instant runAt) {
    Rec r = state.index.get(id);
    if (r == null) {
      return Change.FENCED_OUT;
    }
    Lane lane = state.lanes.get(r.queue);
    TaskRecord after;
    lane.lock.lock();
    try {
      if (!isRunning(r, attempt)) {
        return Change.FENCED_OUT;
      }
      if (error != null) {
        r.addError(error);
        r.message = error.message();
      }
      r.node = null;
      if (r.cancelRequested) {
        // The cancel arrived while the attempt was ending: it wins over another attempt.
        r.moveTo(TaskStatus.CANCELLED);
        lane.ended(r);
        r.message = r.cancelReason;
        lane.retire(r, state.clock().instant()); // it ends now, not at the retry's runAt
        return new Change.Changed(r.snapshot());
      }
      if (error == null) {
        r.attempt--; // a requeue at shutdown does not charge the attempt
      }
      r.moveTo(TaskStatus.WAITING);
      lane.ended(r);
      r.runAt(runAt);
      lane.waiting++;
      lane.enqueue(r, Long.MIN_VALUE);
      after = r.snapshot();
    } finally {
      lane.lock.unlock();
    }
    state.signals().workAvailable(r.queue);
    return new Change.Changed(after);
  }

  @Override
  public CancelAnswer requestCancel(long id, String reason, Instant at) {
    Rec r = state.index.get(id);
    if (r == null) {
      return CancelAnswer.NOT_FOUND;
    }
    Lane lane = state.lanes.get(r.queue);
    TaskStatus before;
    TaskRecord after;
    lane.lock.lock();
    try {
      before = r.status();
      if (before == TaskStatus.WAITING) {
        r.moveTo(TaskStatus.CANCELLED);
        r.cancelReason = reason;
        r.message = reason;
        lane.waiting--;
        lane.retire(r, at);
      } else if (before == TaskStatus.RUNNING && !r.cancelRequested) {
        r.cancelRequested = true;
        r.cancelReason = reason;
      }
      after = r.snapshot();
    } finally {
      lane.lock.unlock();
    }
    if (before == TaskStatus.RUNNING) {
      state.signals().cancelRequested(id);
    }
    return CancelAnswer.of(before, after);
  }

  @Override
  public long waiting(String queue) {
    Lane lane = state.lanes.get(queue);
    if (lane == null) {
      return 0;
    }
    lane.lock.lock();
    try {
      return lane.waiting;
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public int purge(String queue, Instant before, int limit) {
    Lane lane = state.lanes.get(queue);
    if (lane == null) {
      return 0;
    }
    int removed = 0;
    lane.lock.lock();
    try {
      Rec r;
      while (removed < limit && (r = lane.pollFinishedBefore(before)) != null) {
        if (state.index.remove(r)) {
          removed++;
        }
        lane.forgetFinishedKey(r);
        if (r.group != 0) {
          state.groups.forgetIfGone(r.group);
        }
      }
    } finally {
      lane.lock.unlock();
    }
    return removed;
  }

  @Override
  public Deletion delete(long id) {
    Rec r = state.index.get(id);
    if (r == null || state.locked(r, x -> x.status().isLive()) || !state.index.remove(r)) {
      return Deletion.NOTHING_DELETED;
    }
    state.locked(r, x -> {
      state.lanes.get(r.queue).forgetFinishedKey(r);
      return null;
    });
    if (r.group != 0) {
      state.groups.forgetIfGone(r.group);
    }
    return Deletion.DELETED;
  }

  private static boolean isRunning(Rec r, int attempt) {
    return r.status() == TaskStatus.RUNNING && r.attempt == attempt;
  }
}
