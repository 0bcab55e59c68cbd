package io.errand.memory;

import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.TaskRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One task inside the memory store. Mutable, and guarded by its lane's lock; times are epoch
 * microseconds (0 = unset) to keep a waiting task small.
 */
final class Rec {
  final long id;
  final String queue;
  final Object args;
  final long createdMicros;
  final int priority;
  final String key;
  long group;
  long next;
  boolean held;

  TaskStatus status = TaskStatus.WAITING;
  int attempt;
  long current;
  long total;
  String message;
  Object response;
  List<TaskError> errors;
  long startedMicros;
  long finishedMicros;
  long runAtMicros;
  String cancelReason;
  boolean cancelRequested;
  Object previousResult;
  String node;

  Rec(long id, String queue, Object args, long createdMicros, long runAtMicros, int priority,
      String key) {
    this.id = id;
    this.queue = queue;
    this.args = args;
    this.createdMicros = createdMicros;
    this.runAtMicros = runAtMicros;
    this.priority = priority;
    this.key = key;
  }

  void addError(TaskError error) {
    if (errors == null) {
      errors = new ArrayList<>(2);
    }
    errors.add(error);
  }

  TaskRecord snapshot() {
    TaskInfo info = new TaskInfo(id, queue, status, current, total, message, response, args,
        attempt, errors == null ? List.of() : List.copyOf(errors), instant(createdMicros),
        instant(startedMicros), instant(finishedMicros), instant(runAtMicros), key, priority,
        group, cancelReason);
    return new TaskRecord(info, next, previousResult, cancelRequested, node);
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  static Instant instant(long micros) {
    return micros == 0 ? null : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}
