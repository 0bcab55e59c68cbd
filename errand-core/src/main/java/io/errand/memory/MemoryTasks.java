package io.errand.memory;

import io.errand.api.Page;
import io.errand.api.QueueFullException;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.spi.CancelAnswer;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.Deletion;
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
    Rec rec;
    lane.lock.lock();
    try {
      if (task.key() != null) {
        Rec live = lane.liveKeys.get(task.key());
        if (live != null) {
          return new Inserted.AlreadyLive(live.id);
        }
      }
      if (lane.waiting >= task.capacity()) {
        throw new QueueFullException(task.queue(), task.capacity());
      }
      rec = state.index.add(task);
      if (flow == lane.flow) {
        rec.flowKey = flowKey;
      }
      lane.waiting++;
      if (task.key() != null) {
        lane.liveKeys.put(task.key(), rec);
      }
      signals.added(rec.id, rec.queue, rec.key, rec.createdAt); // before any claim can see it
      lane.enqueue(rec, now);
    } finally {
      lane.lock.unlock();
    }
    signals.workAvailable(task.queue());
    return new Inserted.Created(rec.id);
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
      Instant at = lane.flow == null ? now : lane.flow.notBefore(now);
      long nowMicros = Rec.micros(at);
      Rec r = lane.claimable() ? lane.pollDue(nowMicros) : null;
      if (r == null) {
        return Claim.NONE_DUE;
      }
      lane.waiting--;
      lane.started(r, at, nowMicros);
      r.moveTo(TaskStatus.RUNNING);
      r.attempt++;
      r.startedAt = at;
      r.node = node;
      r.cancelRequested = false;
      r.cancelReason = null;
      return new Claim.Claimed(r.snapshot());
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public Optional<Instant> nextDue(String queue) {
    Lane lane = state.lanes.get(queue);
    if (lane == null) {
      return Optional.empty();
    }
    lane.lock.lock();
    try {
      long due = lane.claimable() ? lane.nextDueMicros(Rec.micros(state.clock().instant()))
          : Long.MAX_VALUE;
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
    } finally {
      lane.lock.unlock();
    }
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
    if (r.group != 0) {
      state.groups.forgetIfGone(r.group);
    }
    return Deletion.DELETED;
  }

  private static boolean isRunning(Rec r, int attempt) {
    return r.status() == TaskStatus.RUNNING && r.attempt == attempt;
  }
}
