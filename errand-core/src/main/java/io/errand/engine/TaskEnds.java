package io.errand.engine;

import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.TaskRecord;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything that follows a task reaching a terminal status, exactly once per task, whoever
 * recorded the end (a worker, a cancel, the store's signal): the queue's statistics, the failure
 * log, the end event, awaits, chains and batches, a pending cancel forgotten, the schedules told.
 * It runs on the thread that recorded the end, usually a worker between two tasks, so it builds
 * nothing nobody asked for.
 */
final class TaskEnds implements Consumer<TaskRecord> {
  private final Map<String, QueueRunner> runners;
  private final FailureLog failures;
  private final TaskEvents events;
  private final Completions completions;
  private final Cancellations cancellations;
  private final ScheduleRunner schedules; // null: a store that keeps no schedules

  TaskEnds(Map<String, QueueRunner> runners, FailureLog failures, TaskEvents events,
      Completions completions, Cancellations cancellations, ScheduleRunner schedules) {
    this.runners = runners;
    this.failures = failures;
    this.events = events;
    this.completions = completions;
    this.cancellations = cancellations;
    this.schedules = schedules;
  }

  /** Task {@code rec} reached a terminal status and was recorded so. */
  @Override
  public void accept(TaskRecord rec) {
    TaskInfo info = rec.info();
    QueueRunner r = runners.get(info.queue());
    if (r != null) {
      r.finished(info);
    }
    if (info.status() == TaskStatus.FAILURE) {
      failures.taskFailed(info);
    }
    events.finished(info);
    completions.finished(rec);
    cancellations.ended(info.id());
    if (schedules != null) {
      schedules.taskEnded();
    }
  }
}
