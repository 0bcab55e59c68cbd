package io.errand.test;

import io.errand.api.Errand;
import io.errand.api.ErrandException;
import io.errand.api.Page;
import io.errand.api.ScheduleInfo;
import io.errand.api.ScheduleState;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is still to run now, read from the Errand itself: tasks RUNNING or WAITING and due, and
 * schedules whose next occurrence is due but not fired yet. Also the next time something comes
 * due, for time travel.
 */
final class Idleness {
  private final Errand errand;

  Idleness(Errand errand) {
    this.errand = errand;
  }

  /**
   * The tasks of {@code queue} (null: of every queue) that are running or due at {@code now},
   * leaving out the waiting tasks of a paused queue: nothing runs them until it is resumed.
   * WAITING is read before RUNNING: a task claimed between the two reads is in the first.
   */
  List<TaskInfo> busy(String queue, Instant now) {
    List<TaskInfo> busy = new ArrayList<>();
    java.util.Set<String> paused = new java.util.HashSet<>();
    for (String q : errand.queues()) {
      if (errand.control(q).isPaused()) {
        paused.add(q);
      }
    }
    for (TaskInfo t : all(queue, TaskStatus.WAITING)) {
      if (!t.runAt().isAfter(now) && !paused.contains(t.queue())) {
        busy.add(t);
      }
    }
    busy.addAll(all(queue, TaskStatus.RUNNING));
    return busy;
  }

  /** The schedules (of {@code queue}, or all when null) due at {@code now} and not fired yet. */
  List<String> dueSchedules(String queue, Instant now) {
    List<String> due = new ArrayList<>();
    for (ScheduleInfo s : schedules()) {
      if (s.state() == ScheduleState.ACTIVE && s.nextDue() != null && !s.nextDue().isAfter(now)
          && (queue == null || queue.equals(s.schedule().queue()))) {
        due.add(s.name());
      }
    }
    return due;
  }

  /** The earliest time after {@code now} a waiting task or an active schedule comes due. */
  Optional<Instant> nextDue(Instant now) {
    Instant next = null;
    for (TaskInfo t : all(null, TaskStatus.WAITING)) {
      if (t.runAt().isAfter(now) && (next == null || t.runAt().isBefore(next))) {
        next = t.runAt();
      }
    }
    for (ScheduleInfo s : schedules()) {
      Instant due = s.nextDue();
      if (s.state() == ScheduleState.ACTIVE && due != null && due.isAfter(now)
          && (next == null || due.isBefore(next))) {
        next = due;
      }
    }
    return Optional.ofNullable(next);
  }

  /** Every task of {@code queue} (null: all) with {@code status}, oldest first. */
  List<TaskInfo> all(String queue, TaskStatus status) {
    List<TaskInfo> all = new ArrayList<>();
    long cursor = 0;
    do {
      Page<TaskInfo> page = errand.list(new TaskQuery(queue, status, TaskQuery.MAX_LIMIT, cursor));
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != 0);
    return all.reversed();
  }

  private List<ScheduleInfo> schedules() {
    try {
      return errand.schedules().list();
    } catch (ErrandException unsupported) {
      return List.of();
    }
  }
}
