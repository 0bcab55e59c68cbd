package io.errand.engine;

import io.errand.api.EventType;
import io.errand.api.OverlapPolicy;
import io.errand.api.Schedule;
import io.errand.api.TaskEvent;
import io.errand.api.TaskStatus;
import io.errand.spi.ScheduleStep;
import io.errand.spi.ScheduleStore;
import io.errand.spi.StoredSchedule;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires schedules: one thread that, whenever the clock reaches a schedule's next occurrence,
 * decides its due occurrences ({@link MissedRuns}, {@link OverlapDecision}) and applies each
 * decision through {@link ScheduleStore#advance}, whose compare-and-set makes every occurrence
 * yield at most one task however many nodes decide it at once.
 *
 * <p>Time comes from the engine's clock: a {@code ManualClock} drives it (the engine calls
 * {@link #wake()} when it moves), so tests need no sleeps. Between occurrences the thread looks
 * again at least every {@link #LOOK_AGAIN} of real time, for changes made by other nodes, and at
 * most every {@link #GATHER} unless asked to (so many occurrences share one look). The
 * thread starts with the first schedule, so an Errand without schedules has none.
 */
final class ScheduleRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);
  /** The longest real time between two looks at the store. */
  static final Duration LOOK_AGAIN = Duration.ofSeconds(1);
  /**
   * The least real time between two looks that are not asked for (a change, a moved clock, a
   * full batch): occurrences due within it are decided together, one read of the store for
   * all of them instead of one per occurrence, at the price of up to this much more lag.
   */
  static final Duration GATHER = Duration.ofMillis(100);
  /** The longest {@link #close} waits for the thread to end. */
  static final Duration STOP_WAIT = Duration.ofSeconds(10);
  /** The most schedules one look at the store reads and decides. */
  static final int BATCH = 64;
  /** How long a schedule that failed to fire waits before it is tried again. */
  private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

  private final ScheduleStore schedules;
  private final TaskStore tasks;
  private final ScheduleTasks taskBuilder;
  private final InstantSource clock;
  private final TaskEvents events;
  private final BiConsumer<Long, String> cancel;
  private final BooleanSupplier stopped;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private final AtomicBoolean started = new AtomicBoolean();
  private boolean dirty;
  private volatile boolean anyHeld;
  private volatile boolean closed;

  ScheduleRunner(ScheduleStore schedules, TaskStore tasks, ScheduleTasks taskBuilder,
      InstantSource clock, TaskEvents events, BiConsumer<Long, String> cancel,
      BooleanSupplier stopped) {
    this.schedules = schedules;
    this.tasks = tasks;
    this.taskBuilder = taskBuilder;
    this.clock = clock;
    this.events = events;
    this.cancel = cancel;
    this.stopped = stopped;
    this.thread = Thread.ofPlatform().daemon().name("errand-schedules").unstarted(this::loop);
  }

  /** Starts the thread, once; later calls do nothing. */
  private volatile boolean armed;

  void start() {
    if (started.compareAndSet(false, true)) {
      thread.start();
    }
  }

  /**
   * Lets a change start the thread: from the Errand's start on (one built unstarted fires no
   * schedule before it starts).
   */
  void arm() {
    armed = true;
  }

  /** A schedule was created or changed here: start the thread if need be, and look now. */
  void changed() {
    if (armed) {
      start();
    }
    wake();
  }

  /** Makes the thread look again now: the clock moved, or a schedule changed. */
  void wake() {
    lock.lock();
    try {
      dirty = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** A task ended: a held occurrence may now be released. Cheap when nothing is held. */
  void taskEnded() {
    if (anyHeld) {
      wake();
    }
  }

  private void loop() {
    while (!closed && !stopped.getAsBoolean()) {
      Instant now = clock.instant();
      Instant wakeAt = tickGuarded(now);
      lock.lock();
      try {
        if (!dirty && !closed) {
          long park = wakeAt == null ? LOOK_AGAIN.toNanos()
              : Timers.parkNanos(now, wakeAt, LOOK_AGAIN.toNanos());
          if (wakeAt == null || wakeAt.isAfter(now)) {
            park = Math.max(park, GATHER.toNanos());
          }
          changed.awaitNanos(park);
        }
        dirty = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  private Instant tickGuarded(Instant now) {
    try {
      return tick(now);
    } catch (RuntimeException e) {
      log.error("Errand could not read its schedules; trying again in {}", AFTER_FAILURE, e);
      return now.plus(AFTER_FAILURE);
    }
  }

  /**
   * Fires what is due at {@code now} and releases held occurrences whose previous run ended:
   * reads only the schedules with work now ({@link ScheduleStore#due}, at most {@link #BATCH}),
   * never every schedule.
   *
   * @return when to look again: now when a full batch was read (more may be due), else the
   *     earliest next occurrence of an active schedule, or null for none
   */
  Instant tick(Instant now) {
    List<StoredSchedule> due = schedules.due(now, BATCH);
    List<ScheduleStore.DueFire> onTime = new ArrayList<>();
    List<Schedule> onTimeSchedules = new ArrayList<>();
    Instant retry = null;
    boolean held = false;
    for (StoredSchedule s : due) {
      if (closed) {
        return null;
      }
      try {
        if (s.held() != null) {
          s = releaseIfFree(s, now);
        }
        if (s.nextDue() != null && !s.nextDue().isAfter(now)) {
          ScheduleStore.DueFire fire = s.held() == null ? onTimeFire(s, now) : null;
          if (fire != null) {
            onTime.add(fire);
            onTimeSchedules.add(s.schedule());
          } else {
            fireDue(s, now);
          }
        }
      } catch (RuntimeException e) {
        log.warn("schedule '{}' could not fire (trying again in {}): {}", s.name(), AFTER_FAILURE,
            e.toString());
        retry = now.plus(AFTER_FAILURE);
      }
      held |= s.held() != null;
    }
    anyHeld = held;
    if (!fireAll(onTime, onTimeSchedules, now)) {
      retry = now.plus(AFTER_FAILURE);
    }
    if (retry != null) {
      return retry; // a failed one is due again at once: going on now would spin on it
    }
    return due.size() == BATCH ? now : schedules.nextDueAfter(now).orElse(null);
  }

  /**
   * The fire of {@code s}'s one due occurrence when nothing else needs deciding: overlap
   * {@code allow} (the previous run does not matter, so nothing more is read), nothing missed,
   * and the next occurrence not yet due. Null otherwise ({@link #fireDue} decides it).
   */
  private ScheduleStore.DueFire onTimeFire(StoredSchedule s, Instant now) {
    Schedule schedule = s.schedule();
    if (schedule.overlap() != OverlapPolicy.ALLOW) {
      return null;
    }
    FiringPlan plan = MissedRuns.plan(schedule, s.nextDue(), now);
    if (plan.skipped().isPresent() || plan.fire().size() != 1
        || (plan.nextDue() != null && !plan.nextDue().isAfter(now))) {
      return null;
    }
    Instant occurrence = plan.fire().get(0);
    var task = taskBuilder.task(schedule, occurrence, now, ScheduleTasks.key(s.name(), occurrence));
    return new ScheduleStore.DueFire(s.name(), s.nextDue(),
        new ScheduleStep.Fire(occurrence, task, plan.nextDue()));
  }

  /**
   * Applies the on-time fires of one look together ({@link ScheduleStore#fireAll}: one
   * transaction on PostgreSQL) and publishes what fired; false if any failed (tried again).
   */
  private boolean fireAll(List<ScheduleStore.DueFire> fires, List<Schedule> of, Instant now) {
    if (fires.isEmpty()) {
      return true;
    }
    List<ScheduleStore.FireResult> results;
    try {
      results = schedules.fireAll(fires);
    } catch (RuntimeException e) {
      log.warn("{} schedules could not fire (trying again in {}): {}", fires.size(),
          AFTER_FAILURE, e.toString());
      return false;
    }
    boolean allDone = true;
    for (int i = 0; i < fires.size(); i++) {
      ScheduleStore.FireResult r = results.get(i);
      Instant occurrence = fires.get(i).fire().occurrence();
      if (r.applied().isPresent()) {
        publish(EventType.SCHEDULE_FIRED, r.applied().get().taskId(), 1, of.get(i), now,
            "occurrence " + occurrence);
      } else if (r.refused() != null) {
        log.warn("schedule '{}' could not fire (trying again in {}): {}", fires.get(i).name(),
            AFTER_FAILURE, r.refused().toString());
        allDone = false;
      }
    }
    return allDone;
  }

  /**
   * Decides and applies every due occurrence of {@code s}, as read from the store just now;
   * stops when another node decided one first.
   */
  private void fireDue(StoredSchedule s, Instant now) {
    Schedule schedule = s.schedule();
    StoredSchedule fresh = s; // the stored state, while no step of ours changed it
    Instant expected = s.nextDue();
    while (expected != null && !expected.isAfter(now)) {
      FiringPlan plan = MissedRuns.plan(schedule, expected, now);
      List<Instant> fire = plan.fire();
      if (plan.skipped().isPresent()) {
        FiringPlan.Skipped skipped = plan.skipped().get();
        Instant after = fire.isEmpty() ? plan.nextDue() : fire.get(0);
        if (schedules.advance(s.name(), expected, new ScheduleStep.Skip(after)).isEmpty()) {
          return;
        }
        fresh = null;
        publish(EventType.SCHEDULE_SKIPPED, 0, skipped.count(), schedule, now,
            skipped.count() == 1 ? "missed occurrence " + skipped.first() + " skipped (" + schedule.missed().text() + ")"
            : skipped.count() + " missed occurrences " + skipped.first() + " to " + skipped.last()
                + " skipped (" + schedule.missed().text() + ")");
        expected = after;
      }
      for (int i = 0; i < fire.size(); i++) {
        Instant after = i + 1 < fire.size() ? fire.get(i + 1) : plan.nextDue();
        if (!fireOne(schedule, fresh, fire.get(i), expected, after, now)) {
          return;
        }
        fresh = null;
        expected = after;
      }
    }
  }

  /**
   * Applies the overlap decision for one occurrence; false if another node got there first.
   * Under {@link OverlapPolicy#ALLOW} the previous run does not matter, so nothing is read;
   * otherwise the schedule's state ({@code fresh}, or read again when null) and its last task.
   */
  private boolean fireOne(Schedule schedule, StoredSchedule fresh, Instant occurrence,
      Instant expected, Instant after, Instant now) {
    String name = schedule.name();
    if (schedule.overlap() == OverlapPolicy.ALLOW) {
      return submit(schedule, occurrence, expected, after, now);
    }
    StoredSchedule s = fresh != null ? fresh : schedules.find(name).orElse(null);
    if (s == null) {
      return false;
    }
    schedule = s.schedule();
    TaskRecord previous =
        s.lastRun() == null ? null : tasks.tasks().find(s.lastRun().taskId()).orElse(null);
    boolean live = previous != null && !previous.info().status().isTerminal();
    OverlapDecision.Previous state = !live ? OverlapDecision.Previous.NONE_LIVE
        : s.held() != null ? OverlapDecision.Previous.LIVE_WITH_ONE_HELD
        : OverlapDecision.Previous.LIVE;
    switch (OverlapDecision.decide(schedule.overlap(), state)) {
      case SUBMIT -> {
        return submit(schedule, occurrence, expected, after, now);
      }
      case SKIP -> {
        boolean applied =
            schedules.advance(name, expected, new ScheduleStep.Skip(after)).isPresent();
        if (applied) {
          publish(EventType.SCHEDULE_SKIPPED, 0, 1, schedule, now, "occurrence " + occurrence
              + " skipped: task " + s.lastRun().taskId() + " of an earlier one is still "
              + previous.info().status() + " (overlap " + schedule.overlap().text() + ")");
        }
        return applied;
      }
      case HOLD_UNTIL_PREVIOUS_ENDS, CANCEL_PREVIOUS_THEN_HOLD -> {
        boolean applied = schedules
            .advance(name, expected, new ScheduleStep.Hold(occurrence, after)).isPresent();
        if (applied && s.held() != null) {
          publish(EventType.SCHEDULE_SKIPPED, 0, 1, schedule, now, "held occurrence " + s.held()
              + " skipped: replaced by " + occurrence
              + " (overlap " + schedule.overlap().text() + ")");
        }
        if (applied && schedule.overlap() == OverlapPolicy.CANCEL_PREVIOUS) {
          cancel.accept(s.lastRun().taskId(), "replaced by schedule '" + name + "' occurrence "
              + occurrence);
        }
        anyHeld = anyHeld || applied;
        return applied;
      }
      default -> throw new IllegalStateException("unreachable");
    }
  }

  /** Fires {@code occurrence}: its task and the move of the schedule, in one store step. */
  private boolean submit(Schedule schedule, Instant occurrence, Instant expected, Instant after,
      Instant now) {
    String name = schedule.name();
    var task = taskBuilder.task(schedule, occurrence, now, ScheduleTasks.key(name, occurrence));
    var applied = schedules.advance(name, expected, new ScheduleStep.Fire(occurrence, task, after));
    applied.ifPresent(a -> publish(EventType.SCHEDULE_FIRED, a.taskId(), 1, schedule, now,
        "occurrence " + occurrence));
    return applied.isPresent();
  }

  /** Submits {@code s}'s held occurrence if its previous run has ended; returns the new state. */
  private StoredSchedule releaseIfFree(StoredSchedule s, Instant now) {
    if (s.lastRun() != null) {
      Optional<TaskRecord> previous = tasks.tasks().find(s.lastRun().taskId());
      if (previous.isPresent() && !previous.get().info().status().isTerminal()) {
        return s;
      }
    }
    Instant held = s.held();
    var task = taskBuilder.task(s.schedule(), held, now, ScheduleTasks.key(s.name(), held));
    schedules.releaseHeld(s.name(), held, task).ifPresent(a ->
        publish(EventType.SCHEDULE_FIRED, a.taskId(), 1, s.schedule(), now,
            "held occurrence " + held));
    return schedules.find(s.name()).orElse(s);
  }

  /** Publishes a schedule event; {@code occurrences} (its {@code total}) is how many it decided. */
  private void publish(EventType type, long taskId, long occurrences, Schedule schedule,
      Instant now, String message) {
    if (events.othersWanted()) {
      events.other(new TaskEvent(type, taskId, schedule.queue(),
          taskId == 0 ? null : TaskStatus.WAITING, 0, 0, occurrences,
          "schedule '" + schedule.name() + "': " + message, now, schedule.name()));
    }
  }

  /**
   * Stops the thread and waits for it to end, up to {@link #STOP_WAIT}: once this returns, no
   * decision is in flight and the store may close. The thread ends after the store call it is
   * in, if any (it looks at {@code closed} between schedules).
   */
  @Override
  public void close() {
    closed = true;
    wake();
    if (!started.get() || Thread.currentThread() == thread) {
      return;
    }
    try {
      if (!thread.join(STOP_WAIT)) {
        log.warn("the schedule runner did not stop within {}; the store closes under it",
            STOP_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
