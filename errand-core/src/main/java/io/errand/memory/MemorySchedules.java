package io.errand.memory;

import io.errand.api.QueueFullException;
import io.errand.api.Schedule;
import io.errand.api.ScheduleState;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.ScheduleStep;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoredSchedule;
import io.errand.spi.TaskStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Schedules kept in this process's heap, inserting their tasks into a {@link TaskStore} of the
 * same process (normally the {@link MemoryStore}); nothing survives the process.
 *
 * <p>One lock guards every schedule. A step's task is inserted while the lock is held, against
 * the usual "act outside the lock": holding it is what makes the compare-and-set on
 * {@code nextDue} and the insert one atomic step, so two threads deciding the same occurrence
 * cannot both insert. The insert calls no user code (the store's signals do not block), and
 * the task store never calls back into this class, so the lock order is always this lock, then
 * the task store's.
 */
public final class MemorySchedules implements ScheduleStore {
  private final TaskStore tasks;
  private final ReentrantLock lock = new ReentrantLock();
  private final TreeMap<String, StoredSchedule> schedules = new TreeMap<>();

  /** Schedules whose tasks go into {@code tasks}. */
  public MemorySchedules(TaskStore tasks) {
    this.tasks = Objects.requireNonNull(tasks, "tasks");
  }

  @Override
  public boolean create(Schedule schedule, Instant nextDue) {
    lock.lock();
    try {
      return schedules.putIfAbsent(
              schedule.name(),
              new StoredSchedule(schedule, ScheduleState.ACTIVE, nextDue, null, null))
          == null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean update(Schedule schedule) {
    return replace(schedule, null, false);
  }

  @Override
  public boolean reschedule(Schedule schedule, Instant nextDue) {
    return replace(schedule, nextDue, true);
  }

  private boolean replace(Schedule schedule, Instant nextDue, boolean setNextDue) {
    lock.lock();
    try {
      StoredSchedule s = schedules.get(schedule.name());
      if (s == null) {
        return false;
      }
      Instant due = setNextDue ? nextDue : s.nextDue();
      schedules.put(s.name(), new StoredSchedule(schedule, s.state(), due, s.held(), s.lastRun()));
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean delete(String name) {
    lock.lock();
    try {
      return schedules.remove(name) != null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean setState(String name, ScheduleState state) {
    lock.lock();
    try {
      StoredSchedule s = schedules.get(name);
      if (s == null) {
        return false;
      }
      schedules.put(
          name, new StoredSchedule(s.schedule(), state, s.nextDue(), s.held(), s.lastRun()));
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<StoredSchedule> find(String name) {
    lock.lock();
    try {
      return Optional.ofNullable(schedules.get(name));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<StoredSchedule> list() {
    lock.lock();
    try {
      return List.copyOf(schedules.values());
    } finally {
      lock.unlock();
    }
  }

  /** {@inheritDoc} A scan of every schedule: the heap holds few enough that it is cheap. */
  @Override
  public List<StoredSchedule> due(Instant now, int limit) {
    DueSchedules.checkLimit(limit);
    lock.lock();
    try {
      return DueSchedules.select(schedules.values(), now, limit);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Instant> nextDueAfter(Instant now) {
    lock.lock();
    try {
      Instant earliest = null;
      for (StoredSchedule s : schedules.values()) {
        Instant due = s.nextDue();
        if (s.state() == ScheduleState.ACTIVE && due != null && due.isAfter(now)
            && (earliest == null || due.isBefore(earliest))) {
          earliest = due;
        }
      }
      return Optional.ofNullable(earliest);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Applied> advance(String name, Instant expectedNextDue, ScheduleStep step) {
    lock.lock();
    try {
      StoredSchedule s = schedules.get(name);
      if (s == null || s.state() != ScheduleState.ACTIVE
          || !Objects.equals(s.nextDue(), expectedNextDue)) {
        return Optional.empty();
      }
      StoredSchedule after;
      Applied applied = Applied.NONE;
      switch (step) {
        case ScheduleStep.Skip skip ->
            after = moved(s, skip.nextDue(), s.held(), s.lastRun());
        case ScheduleStep.Hold hold ->
            after = moved(s, hold.nextDue(), hold.occurrence(), s.lastRun());
        case ScheduleStep.Fire fire -> {
          Inserted inserted = tasks.tasks().insert(fire.task());
          applied = new Applied(inserted.id());
          after = moved(s, fire.nextDue(), s.held(), new StoredSchedule.LastRun(
              fire.occurrence(), inserted.id(), fire.task().createdAt()));
        }
      }
      schedules.put(name, after);
      return Optional.of(applied);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<FireResult> fireAll(List<DueFire> fires) {
    List<FireResult> out = new ArrayList<>(fires.size());
    for (DueFire f : fires) {
      try {
        out.add(new FireResult(advance(f.name(), f.expectedNextDue(), f.fire()), null));
      } catch (QueueFullException refused) {
        out.add(new FireResult(Optional.empty(), refused));
      }
    }
    return out;
  }

  @Override
  public Optional<Applied> releaseHeld(String name, Instant held, NewTask task) {
    lock.lock();
    try {
      StoredSchedule s = schedules.get(name);
      if (s == null || s.held() == null || !s.held().equals(held)) {
        return Optional.empty();
      }
      Inserted inserted = tasks.tasks().insert(task);
      schedules.put(name, moved(s, s.nextDue(), null,
          new StoredSchedule.LastRun(held, inserted.id(), task.createdAt())));
      return Optional.of(new Applied(inserted.id()));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Applied> runNow(String name, Instant at, NewTask task) {
    lock.lock();
    try {
      StoredSchedule s = schedules.get(name);
      if (s == null) {
        return Optional.empty();
      }
      Inserted inserted = tasks.tasks().insert(task);
      schedules.put(name, moved(s, s.nextDue(), s.held(),
          new StoredSchedule.LastRun(at, inserted.id(), at)));
      return Optional.of(new Applied(inserted.id()));
    } finally {
      lock.unlock();
    }
  }

  /** {@code s} with its firing state replaced; definition and pause state kept. */
  private static StoredSchedule moved(StoredSchedule s, Instant nextDue, Instant held,
      StoredSchedule.LastRun lastRun) {
    return new StoredSchedule(s.schedule(), s.state(), nextDue, held, lastRun);
  }
}
