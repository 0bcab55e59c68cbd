package io.errand.test;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.Errand;
import io.errand.api.ManualClock;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * One test's Errand, on the memory store with a {@link ManualClock}, and the means to drive it
 * without sleeping: {@link #drain}, {@link #awaitIdle}, {@link #advance} (time travel that runs
 * due retries, delays and schedule occurrences at their times) and assertions on what was
 * submitted. Made per test by {@link ErrandExtension}; closing it shuts the Errand down.
 *
 * <p>The waits here are on conditions, not on time: each re-checks what is still to run after
 * every event the Errand emits (and every hand-over in {@link ExecutionMode#INLINE inline}
 * mode), and gives up with an {@link AssertionFailedError} naming the tasks still busy once
 * {@link ErrandExtension.Builder#waitLimit the wait limit} passes (a handler that never
 * returns, say).
 */
public final class TestErrand implements AutoCloseable {
  private final Errand engine;
  private final Errand facade;
  private final ManualClock clock;
  private final Inline inline;
  private final Wakeups wakeups;
  private final Idleness idleness;
  private final ObjectMapper mapper;
  private final Duration waitLimit;

  TestErrand(Errand engine, ManualClock clock, Inline inline, Wakeups wakeups,
      ObjectMapper mapper, Duration waitLimit) {
    this.engine = engine;
    this.clock = clock;
    this.inline = inline;
    this.wakeups = wakeups;
    this.idleness = new Idleness(engine);
    this.mapper = mapper;
    this.waitLimit = waitLimit;
    this.facade = inline == null ? engine : new InlineErrand(engine, this);
  }

  /**
   * The Errand to hand to the code under test. In {@link ExecutionMode#INLINE inline} mode its
   * submits run the work on the caller's thread before they return.
   */
  public Errand errand() {
    return facade;
  }

  /** The clock of the Errand: it moves only through {@link #advance}. */
  public ManualClock clock() {
    return clock;
  }

  /** Where the handlers run. */
  public ExecutionMode mode() {
    return inline == null ? ExecutionMode.WORKERS : ExecutionMode.INLINE;
  }

  /**
   * Waits until {@code queue} has nothing running and nothing due at the clock's time (tasks
   * waiting for a later retry or delay stay waiting), running the handlers on this thread in
   * inline mode.
   *
   * @throws io.errand.api.UnknownQueueException if there is no such queue
   * @throws AssertionFailedError if it is still busy after the wait limit, naming its tasks
   */
  public void drain(String queue) {
    engine.metrics(queue); // an unknown queue fails here, not after the wait limit
    settle(queue);
  }

  /**
   * Waits until no queue has anything running or due at the clock's time, and no schedule has
   * an occurrence due that it has not fired, running the handlers on this thread in inline mode.
   *
   * @throws AssertionFailedError if something is still busy after the wait limit
   */
  public void awaitIdle() {
    settle(null);
  }

  /**
   * Time travel: moves the clock forward by {@code amount}, stopping at each time a retry, a
   * delayed task or a schedule occurrence comes due on the way to run what is due then (so each
   * runs at its own time, and a retry due within the window after one that ran in it runs too),
   * then waits until idle at the end.
   *
   * @throws IllegalArgumentException if {@code amount} is negative
   * @throws AssertionFailedError if the work due does not settle within the wait limit
   */
  public void advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("time travel goes forward only: amount was " + amount);
    }
    Instant target = clock.instant().plus(amount);
    awaitIdle();
    while (true) {
      Instant now = clock.instant();
      Instant next = idleness.nextDue(now).filter(t -> !t.isAfter(target)).orElse(target);
      clock.advance(Duration.between(now, next));
      awaitIdle();
      if (!next.isBefore(target)) {
        return;
      }
    }
  }

  /** Every task submitted to {@code queue} so far (by anyone), oldest first. */
  public List<TaskInfo> submitted(String queue) {
    engine.metrics(queue); // an unknown queue is refused, not answered with an empty list
    return idleness.all(queue, null);
  }

  /**
   * Asserts that a task with {@code args} was submitted to {@code queue}. Arguments compare as
   * their JSON forms, so a record equals the plain values of a queue that takes {@code Object}.
   *
   * @throws AssertionFailedError listing what the queue got instead
   */
  public TaskInfo assertSubmitted(String queue, Object args) {
    return assertSubmitted(queue, args, null);
  }

  /**
   * Asserts that a task with {@code args} was submitted to {@code queue} with {@code options}:
   * the same priority and key, and a run-at equal to the options' {@code runAt}, or to the
   * submit's time plus their {@code delay} (none: the submit's time).
   *
   * @throws AssertionFailedError listing what the queue got instead
   */
  public TaskInfo assertSubmitted(String queue, Object args, SubmitOptions options) {
    List<TaskInfo> all = submitted(queue);
    for (TaskInfo t : all) {
      if (sameArgs(t.args(), args) && (options == null || sameOptions(t, options))) {
        return t;
      }
    }
    throw new AssertionFailedError("expected a task submitted to queue '" + queue + "' with args "
        + args + (options == null ? "" : " and " + options) + ", but it got "
        + (all.isEmpty() ? "none" : all.stream().map(TestErrand::describe)
            .collect(Collectors.joining("; "))), args, all.stream().map(TaskInfo::args).toList());
  }

  /**
   * Asserts that no task with {@code args} was submitted to {@code queue}.
   *
   * @throws AssertionFailedError naming the task that was
   */
  public void assertNotSubmitted(String queue, Object args) {
    for (TaskInfo t : submitted(queue)) {
      if (sameArgs(t.args(), args)) {
        throw new AssertionFailedError("expected no task submitted to queue '" + queue
            + "' with args " + args + ", but there is " + describe(t));
      }
    }
  }

  /** Shuts the Errand down (a short grace: a test's handlers are meant to be done by now). */
  @Override
  public void close() {
    engine.shutdown(Duration.ofSeconds(5));
  }

  /** Runs handed-over calls and waits until {@code queue} (null: everything) is idle. */
  void settle(String queue) {
    if (inline != null && inline.insideHandler()) {
      return; // the drive this handler runs in goes on once it returns
    }
    long deadline = System.nanoTime() + waitLimit.toNanos();
    try {
      while (true) {
        long seen = wakeups.generation();
        if (inline != null && inline.runOne()) {
          continue;
        }
        Instant now = clock.instant();
        // Read in the order work moves (a due schedule becomes a WAITING task, then a RUNNING
        // one), so a step taken between two reads is seen by the later read, never missed.
        List<String> schedules = idleness.dueSchedules(queue, now);
        List<TaskInfo> busy = idleness.busy(queue, now);
        if (busy.isEmpty() && schedules.isEmpty()) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
          wakeups.awaitPast(seen, left); // then look again, whatever woke it
        } else {
          throw new AssertionFailedError("still busy after " + waitLimit + " at " + now + ": "
              + busy.stream().map(TestErrand::describe).collect(Collectors.joining("; "))
              + (schedules.isEmpty() ? "" : "; schedules due: " + schedules));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionFailedError("interrupted while waiting for the Errand to settle", e);
    }
  }

  private boolean sameArgs(Object stored, Object expected) {
    if (Objects.equals(stored, expected)) {
      return true;
    }
    try {
      return mapper.valueToTree(stored).equals(mapper.valueToTree(expected));
    } catch (IllegalArgumentException unwritable) {
      return false;
    }
  }

  private static boolean sameOptions(TaskInfo t, SubmitOptions o) {
    Instant runAt = o.runAt() != null ? o.runAt()
        : o.delay() != null ? t.createdAt().plus(o.delay()) : t.createdAt();
    // A retry moves runAt, and the first one is not kept: compare it while none happened.
    boolean runAtMatches = !t.errors().isEmpty() || t.runAt().equals(runAt);
    return t.priority() == o.priority() && Objects.equals(t.key(), o.key()) && runAtMatches;
  }

  private static String describe(TaskInfo t) {
    return "task " + t.id() + " " + t.status() + " args=" + t.args() + " runAt=" + t.runAt()
        + (t.key() == null ? "" : " key=" + t.key()) + " priority=" + t.priority();
  }
}
