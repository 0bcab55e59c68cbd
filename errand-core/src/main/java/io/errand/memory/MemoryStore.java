package io.errand.memory;

import io.errand.api.BatchStatus;
import io.errand.api.Page;
import io.errand.api.QueueFullException;
import io.errand.api.TaskError;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.spi.CancelAnswer;
import io.errand.spi.EpochMicros;
import io.errand.spi.GroupInserted;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.StoreContext;
import io.errand.spi.StoreSignals;
import io.errand.spi.StoredKey;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The fastest store, and the default of an embedded Errand: tasks live in this process's heap
 * and nothing survives it. Each queue has its own lock; ids come from one counter.
 */
public final class MemoryStore implements TaskStore {
  private final TaskIndex index = new TaskIndex();
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
  private final Groups groups = new Groups(index, lanes);
  private final Function<String, Lane> newLane = q -> new Lane();
  private final GroupInsert groupInsert = new GroupInsert(index, lanes, groups, newLane);
  private final SavedKeys keys = new SavedKeys();
  private volatile StoreSignals signals;
  private volatile InstantSource clock;

  /** An empty store. */
  public MemoryStore() {}

  @Override
  public void open(StoreContext context) {
    this.signals = context.signals();
    this.clock = context.clock();
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public Inserted insert(NewTask task) {
    Lane lane = lane(task.queue());
    long now = Rec.micros(task.createdAt());
    Rec rec;
    lane.lock.lock();
    try {
      if (task.key() != null) {
        Rec live = lane.liveKeys.get(task.key());
        if (live != null) {
          return new Inserted(live.id, false);
        }
      }
      if (lane.waiting >= task.capacity()) {
        throw new QueueFullException(task.queue(), task.capacity());
      }
      rec = index.add(task);
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
    return new Inserted(rec.id, true);
  }

  @Override
  public GroupInserted insertGroup(List<NewTask> batch, boolean chained) {
    return groupInsert.insert(batch, chained, signals);
  }

  @Override
  public Optional<TaskRecord> find(long id) {
    Rec r = index.get(id);
    return r == null ? Optional.empty() : Optional.of(locked(r, Rec::snapshot));
  }

  @Override
  public Page<TaskRecord> list(TaskQuery query) {
    return index.newestFirst(query.queue(), query.cursor(), query.limit(),
        r -> locked(r, x -> query.status() == null || x.status == query.status()
            ? x.snapshot() : null)); // filter before building the snapshot
  }

  @Override
  public TaskRecord claim(String queue, String node, Instant now) {
    Lane lane = lanes.get(queue);
    if (lane == null) {
      return null;
    }
    long nowMicros = Rec.micros(now);
    lane.lock.lock();
    try {
      Rec r = lane.pollDue(nowMicros);
      if (r == null) {
        return null;
      }
      lane.waiting--;
      r.status = TaskStatus.RUNNING;
      r.attempt++;
      r.startedAt = now;
      r.node = node;
      r.cancelRequested = false;
      r.cancelReason = null;
      return r.snapshot();
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public Optional<Instant> nextDue(String queue) {
    Lane lane = lanes.get(queue);
    if (lane == null) {
      return Optional.empty();
    }
    lane.lock.lock();
    try {
      long due = lane.nextDueMicros();
      return due == Long.MAX_VALUE ? Optional.empty()
          : Optional.of(EpochMicros.instant(due));
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public boolean progress(long id, int attempt, long current, long total, String message) {
    Rec r = index.get(id);
    if (r == null) {
      return false;
    }
    Lane lane = lanes.get(r.queue);
    lane.lock.lock();
    try {
      if (!isRunning(r, attempt)) {
        return false;
      }
      r.current = current;
      r.total = total;
      r.message = message;
      return true;
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public TaskRecord finish(long id, int attempt, Outcome outcome, Instant at) {
    Rec r = index.get(id);
    if (r == null) {
      return null;
    }
    Lane lane = lanes.get(r.queue);
    lane.lock.lock();
    try {
      if (!isRunning(r, attempt)) {
        return null;
      }
      switch (outcome) {
        case Outcome.Succeeded s -> {
          r.status = TaskStatus.SUCCESS;
          r.response = s.result();
        }
        case Outcome.Failed f -> {
          r.status = TaskStatus.FAILURE;
          r.addError(f.error());
          r.response = f.error();
          r.message = f.error().message();
        }
        case Outcome.Cancelled c -> {
          r.status = TaskStatus.CANCELLED;
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
      return r.snapshot();
    } finally {
      lane.lock.unlock();
    }
  }

  @Override
  public TaskRecord reschedule(long id, int attempt, TaskError error, Instant runAt) {
    Rec r = index.get(id);
    if (r == null) {
      return null;
    }
    Lane lane = lanes.get(r.queue);
    TaskRecord after;
    lane.lock.lock();
    try {
      if (!isRunning(r, attempt)) {
        return null;
      }
      if (error != null) {
        r.addError(error);
        r.message = error.message();
      }
      r.node = null;
      if (r.cancelRequested) {
        // The cancel arrived while the attempt was ending: it wins over another attempt.
        r.status = TaskStatus.CANCELLED;
        r.message = r.cancelReason;
        lane.retire(r, clock.instant()); // it ends now, not at the retry's runAt
        return r.snapshot();
      }
      if (error == null) {
        r.attempt--; // a requeue at shutdown does not charge the attempt
      }
      r.status = TaskStatus.WAITING;
      r.runAt(runAt);
      lane.waiting++;
      lane.enqueue(r, Long.MIN_VALUE);
      after = r.snapshot();
    } finally {
      lane.lock.unlock();
    }
    signals.workAvailable(r.queue);
    return after;
  }

  @Override
  public CancelAnswer requestCancel(long id, String reason, Instant at) {
    Rec r = index.get(id);
    if (r == null) {
      return CancelAnswer.NOT_FOUND;
    }
    Lane lane = lanes.get(r.queue);
    TaskStatus before;
    TaskRecord after;
    lane.lock.lock();
    try {
      before = r.status;
      if (before == TaskStatus.WAITING) {
        r.status = TaskStatus.CANCELLED;
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
      signals.cancelRequested(id);
    }
    return new CancelAnswer(true, before, after);
  }

  @Override
  public void release(long id, Object previousResult, Instant now) {
    Rec r = index.get(id);
    if (r == null) {
      return;
    }
    Lane lane = lanes.get(r.queue);
    lane.lock.lock();
    try {
      if (r.status != TaskStatus.WAITING || !r.held) {
        return;
      }
      r.held = false;
      r.previousResult = previousResult;
      r.runAt(now);
      lane.enqueue(r, r.runAtMicros);
    } finally {
      lane.lock.unlock();
    }
    signals.workAvailable(r.queue);
  }

  @Override
  public Optional<BatchStatus> group(long group) {
    return Optional.ofNullable(groups.status(group));
  }

  @Override
  public List<Long> liveInGroup(long group) {
    return groups.live(group);
  }

  @Override
  public long waiting(String queue) {
    Lane lane = lanes.get(queue);
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
    Lane lane = lanes.get(queue);
    if (lane == null) {
      return 0;
    }
    int removed = 0;
    lane.lock.lock();
    try {
      Rec r;
      while (removed < limit && (r = lane.pollFinishedBefore(before)) != null) {
        if (index.remove(r)) {
          removed++;
        }
        if (r.group != 0) {
          groups.forgetIfGone(r.group);
        }
      }
    } finally {
      lane.lock.unlock();
    }
    return removed;
  }

  @Override
  public boolean delete(long id) {
    Rec r = index.get(id);
    if (r == null || locked(r, x -> x.status.isLive())) {
      return false;
    }
    if (!index.remove(r)) {
      return false;
    }
    if (r.group != 0) {
      groups.forgetIfGone(r.group);
    }
    return true;
  }

  @Override
  public void saveKey(StoredKey key) {
    keys.save(key);
  }

  @Override
  public void removeKey(String supervisor, String key) {
    keys.remove(supervisor, key);
  }

  @Override
  public List<StoredKey> keys(String supervisor) {
    return keys.of(supervisor);
  }

  @Override
  public void close() {
    // Nothing to release: the heap goes with the process.
  }

  private Lane lane(String queue) {
    return lanes.computeIfAbsent(queue, newLane);
  }

  private static boolean isRunning(Rec r, int attempt) {
    return r.status == TaskStatus.RUNNING && r.attempt == attempt;
  }

  private <T> T locked(Rec r, Function<Rec, T> read) {
    Lane lane = lanes.get(r.queue);
    lane.lock.lock();
    try {
      return read.apply(r);
    } finally {
      lane.lock.unlock();
    }
  }
}
