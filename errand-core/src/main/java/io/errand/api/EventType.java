package io.errand.api;

/** What happened to a task or a batch. */
public enum EventType {
  /** Accepted into a queue (Yao: {@code event.add}). */
  ADDED,
  /** An attempt started. */
  STARTED,
  /** The handler reported progress (Yao: {@code event.progress}). */
  PROGRESS,
  /** An attempt failed and another will run after the backoff. */
  RETRYING,
  /**
   * The handler snoozed its task ({@link TaskContext#snooze}): it waits again until the delay
   * has passed, its attempt not charged; {@code message} says for how long.
   */
  SNOOZED,
  /** Finished with SUCCESS (Yao: {@code event.success}). */
  SUCCEEDED,
  /** Finished with FAILURE (Yao: {@code event.error}). */
  FAILED,
  /** Finished with CANCELLED. */
  CANCELLED,
  /** Every task of a batch or chain has finished; the event's {@code taskId} is the group id. */
  BATCH_FINISHED,
  /** A supervised key's instance started ({@code queue} is the supervisor, {@code key} set). */
  KEY_STARTED,
  /** A supervised key's instance stopped: asked to, or ended normally without a restart. */
  KEY_STOPPED,
  /** A supervised key's instance failed (threw, or was unhealthy). */
  KEY_CRASHED,
  /** A supervised key will start again after its backoff. */
  KEY_RESTARTING,
  /** A supervised key crashed beyond its restart budget and stays down until put again. */
  KEY_FAILED,
  /**
   * A schedule submitted the task of an occurrence ({@code key} is the schedule's name,
   * {@code taskId} the task, {@code total} 1, {@code message} names the occurrence; the task's
   * key is {@code schedule:<name>@<occurrence>}).
   */
  SCHEDULE_FIRED,
  /**
   * A schedule skipped occurrences, missed or overlapping a live run ({@code key} is the
   * schedule's name, {@code taskId} 0, {@code total} how many occurrences, {@code message}
   * says which and why).
   */
  SCHEDULE_SKIPPED,
  /**
   * A queue was paused through this Errand ({@link QueueControl#pause}): its tasks are no longer
   * claimed. {@code queue} is the queue, {@code taskId} 0. Published by the node that paused it.
   */
  QUEUE_PAUSED,
  /**
   * A paused queue was resumed through this Errand ({@link QueueControl#resume}). {@code queue}
   * is the queue, {@code taskId} 0. Published by the node that resumed it.
   */
  QUEUE_RESUMED
}
