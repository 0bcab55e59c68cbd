package io.errand.engine;

import io.errand.api.InvalidSpecException;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleInfo;
import io.errand.api.ScheduleRun;
import io.errand.api.ScheduleState;
import io.errand.api.Schedules;
import io.errand.api.UnknownScheduleException;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoredSchedule;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@link Schedules} operations of an engine: checks a schedule against the engine's queues,
 * writes it to the {@link ScheduleStore}, and wakes the {@link ScheduleRunner} so the change
 * takes effect at once.
 */
final class EngineSchedules implements Schedules {
  private final ScheduleStore store;
  private final TaskStore tasks;
  private final InstantSource clock;
  private final Function<String, QueueSpec<?, ?>> queues;
  private final ScheduleTasks taskBuilder;
  private final ScheduleRunner runner;

  EngineSchedules(ScheduleStore store, TaskStore tasks, InstantSource clock,
      Function<String, QueueSpec<?, ?>> queues, ScheduleTasks taskBuilder, ScheduleRunner runner) {
    this.store = store;
    this.tasks = tasks;
    this.clock = clock;
    this.queues = queues;
    this.taskBuilder = taskBuilder;
    this.runner = runner;
  }

  @Override
  public ScheduleInfo create(Schedule schedule) {
    check(schedule);
    Instant nextDue = schedule.next(clock.instant()).orElse(null);
    if (!store.create(schedule, nextDue)) {
      throw new InvalidSpecException("schedule '" + schedule.name() + "' exists; update it, or"
          + " delete it first");
    }
    runner.changed();
    return info(schedule.name());
  }

  @Override
  public ScheduleInfo update(Schedule schedule) {
    check(schedule);
    StoredSchedule old = stored(schedule.name());
    Schedule before = old.schedule();
    boolean sameOccurrences = before.spec().equals(schedule.spec())
        && before.start().equals(schedule.start()) && before.end().equals(schedule.end());
    boolean updated = sameOccurrences
        ? store.update(schedule)
        : store.reschedule(schedule, schedule.next(clock.instant()).orElse(null));
    if (!updated) {
      throw new UnknownScheduleException(schedule.name());
    }
    runner.changed();
    return info(schedule.name());
  }

  @Override
  public boolean delete(String name) {
    boolean deleted = store.delete(name);
    runner.changed();
    return deleted;
  }

  @Override
  public void pause(String name) {
    if (!store.setState(name, ScheduleState.PAUSED)) {
      throw new UnknownScheduleException(name);
    }
    runner.changed();
  }

  @Override
  public void resume(String name) {
    if (!store.setState(name, ScheduleState.ACTIVE)) {
      throw new UnknownScheduleException(name);
    }
    runner.changed();
  }

  @Override
  public long runNow(String name) {
    Schedule schedule = stored(name).schedule();
    Instant now = clock.instant();
    var task = taskBuilder.task(schedule, now, now, ScheduleTasks.key(name, now) + "/now");
    return store.runNow(name, now, task)
        .orElseThrow(() -> new UnknownScheduleException(name))
        .taskId();
  }

  @Override
  public Optional<ScheduleInfo> get(String name) {
    return store.find(name).map(this::info);
  }

  @Override
  public List<ScheduleInfo> list() {
    return store.list().stream().map(this::info).toList();
  }

  @Override
  public List<Instant> next(String name, int n) {
    return stored(name).schedule().next(clock.instant(), n);
  }

  private StoredSchedule stored(String name) {
    return store.find(name).orElseThrow(() -> new UnknownScheduleException(name));
  }

  private ScheduleInfo info(String name) {
    return info(stored(name));
  }

  private ScheduleInfo info(StoredSchedule s) {
    ScheduleRun last = null;
    if (s.lastRun() != null) {
      StoredSchedule.LastRun run = s.lastRun();
      var status = tasks.tasks().find(run.taskId()).map(r -> r.info().status()).orElse(null);
      last = new ScheduleRun(run.occurrence(), run.taskId(), run.firedAt(), status);
    }
    return new ScheduleInfo(s.schedule(), s.state(), s.nextDue(), s.held(), last);
  }

  /** Refuses a schedule whose queue is unknown or whose fixed args its queue does not take. */
  private void check(Schedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    QueueSpec<?, ?> spec = queues.apply(schedule.queue());
    if (tasks.durable() && schedule.argsSource() == Schedule.ArgsSource.FUNCTION) {
      throw new InvalidSpecException("schedule '" + schedule.name() + "' builds its args with a"
          + " function (argsFrom), which lives only in this process and cannot be kept in the"
          + " durable store " + tasks.getClass().getSimpleName() + "; give it fixed args with"
          + " args(...)");
    }
    Object args = schedule.fixedArgs().orElse(null);
    if (args != null && !spec.argsType().isInstance(args)) {
      throw new InvalidSpecException("schedule '" + schedule.name() + "' args are a "
          + args.getClass().getName() + ", but queue '" + spec.name() + "' takes "
          + spec.argsType().getName());
    }
  }
}
