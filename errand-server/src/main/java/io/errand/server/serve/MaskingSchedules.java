package io.errand.server.serve;

import io.errand.api.Schedule;
import io.errand.api.ScheduleState;
import io.errand.common.UrlPasswords;
import io.errand.spi.NewTask;
import io.errand.spi.ScheduleStep;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoredSchedule;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The schedule role of the {@link PasswordMaskingStore}: a schedule's fixed args, and the args
 * of every task a schedule inserts (which reach the store through this role, not through the
 * masked tasks), have their URL passwords masked, so no schedule row and no task record holds
 * one. What writes no text is handed on as it is.
 */
final class MaskingSchedules implements ScheduleStore {
  private final ScheduleStore store;

  MaskingSchedules(ScheduleStore store) {
    this.store = store;
  }

  @Override
  public boolean create(Schedule schedule, Instant nextDue) {
    return store.create(masked(schedule), nextDue);
  }

  @Override
  public boolean update(Schedule schedule) {
    return store.update(masked(schedule));
  }

  @Override
  public boolean reschedule(Schedule schedule, Instant nextDue) {
    return store.reschedule(masked(schedule), nextDue);
  }

  @Override
  public boolean delete(String name) {
    return store.delete(name);
  }

  @Override
  public boolean setState(String name, ScheduleState state) {
    return store.setState(name, state);
  }

  @Override
  public Optional<StoredSchedule> find(String name) {
    return store.find(name);
  }

  @Override
  public List<StoredSchedule> list() {
    return store.list();
  }

  @Override
  public List<StoredSchedule> due(Instant now, int limit) {
    return store.due(now, limit);
  }

  @Override
  public Optional<Instant> nextDueAfter(Instant now) {
    return store.nextDueAfter(now);
  }

  @Override
  public Optional<Applied> advance(String name, Instant expectedNextDue, ScheduleStep step) {
    ScheduleStep masked = step instanceof ScheduleStep.Fire f
        ? new ScheduleStep.Fire(f.occurrence(), PasswordMaskingStore.masked(f.task()), f.nextDue())
        : step;
    return store.advance(name, expectedNextDue, masked);
  }

  @Override
  public List<FireResult> fireAll(List<DueFire> fires) {
    return store.fireAll(fires.stream().map(f -> new DueFire(f.name(), f.expectedNextDue(),
        new ScheduleStep.Fire(f.fire().occurrence(), PasswordMaskingStore.masked(f.fire().task()),
            f.fire().nextDue()))).toList());
  }

  @Override
  public Optional<Applied> releaseHeld(String name, Instant held, NewTask task) {
    return store.releaseHeld(name, held, PasswordMaskingStore.masked(task));
  }

  @Override
  public Optional<Applied> runNow(String name, Instant at, NewTask task) {
    return store.runNow(name, at, PasswordMaskingStore.masked(task));
  }

  /** {@code schedule} with its fixed args masked; one with an args function as it is. */
  private static Schedule masked(Schedule schedule) {
    Object args = schedule.fixedArgs().orElse(null);
    Object masked = UrlPasswords.maskValue(args);
    return masked == args ? schedule : schedule.toBuilder().args(masked).build();
  }
}
