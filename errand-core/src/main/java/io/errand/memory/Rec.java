package io.errand.memory;

import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.EpochMicros;
import io.errand.spi.TaskRecord;
import io.errand.spi.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One task inside the memory store. Mutable, and guarded by its lane's lock. Times are kept as
 * the {@code Instant}s the engine passed in (a new task's runAt is its createdAt, shared), so a
 * snapshot allocates no time objects; {@link #runAtMicros} is the sort key of the heaps.
 */
final class Rec {
  final long id;
  final String queue;
  Object args;
  final Instant createdAt;
  final int priority;
  final String key;
  long group;
  long next;
  boolean held;

  private TaskStatus status = TaskStatus.WAITING;
  int attempt;
  long current;
  long total;
  String message;
  Object response;
  List<TaskError> errors;
  Instant runAt;
  long runAtMicros;
  Instant startedAt;
  Instant finishedAt;
  String cancelReason;
  boolean cancelRequested;
  Object previousResult;
  String node;
  /** Replaced by another record of the same task ({@link #movedTo}): never claimed. */
  boolean superseded;
  /** Its concurrency key value, once a keyed queue's limits read it ({@link Flow#key}). */
  String flowKey;

  Rec(long id, String queue, Object args, Instant createdAt, Instant runAt, int priority,
      String key) {
    this.id = id;
    this.queue = queue;
    this.args = args;
    this.createdAt = createdAt;
    this.priority = priority;
    this.key = key;
    runAt(runAt);
  }

  /**
   * A copy of this WAITING task due at {@code at}, to take its place: the heaps order records
   * by their run time, so a record's own cannot change while it sits in one. This one is marked
   * superseded, and claims skip it.
   */
  Rec movedTo(Instant at) {
    Rec m = new Rec(id, queue, args, createdAt, at, priority, key);
    m.group = group;
    m.next = next;
    m.held = held;
    m.attempt = attempt;
    m.current = current;
    m.total = total;
    m.message = message;
    m.response = response;
    m.errors = errors;
    m.previousResult = previousResult;
    m.flowKey = flowKey;
    superseded = true;
    return m;
  }

  /** Moves the task to {@code next}: every status change of this store passes here. */
  void moveTo(TaskStatus next) {
    status = Transition.check(status, next);
  }

  /** The task's status, changed only by {@link #moveTo}. */
  TaskStatus status() {
    return status;
  }

  void runAt(Instant at) {
    runAt = at;
    runAtMicros = micros(at);
  }

  /** Whether a claim may take it: WAITING and not a held chain step. */
  boolean isClaimable() {
    return status == TaskStatus.WAITING && !held && !superseded;
  }

  void addError(TaskError error) {
    if (errors == null) {
      errors = new ArrayList<>(2);
    }
    errors.add(error);
  }

  TaskRecord snapshot() {
    TaskInfo info = TaskInfo.builder(id, queue, status, createdAt)
        .progress(current, total, message).response(response).args(args)
        .attempts(attempt, errors) // TaskInfo copies the list
        .ran(startedAt, finishedAt).runAt(runAt).keyAndPriority(key, priority).group(group)
        .cancelReason(cancelReason).build();
    return new TaskRecord(info, next, previousResult, cancelRequested, node);
  }

  static long micros(Instant t) {
    return EpochMicros.of(t);
  }
}
