package io.errand.memory;

import io.errand.api.TaskStatus;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One queue's tasks in the memory store. Everything here is guarded by {@link #lock}.
 *
 * <p>Cancelled tasks are not removed from the ready queue or the delay heap (that would cost
 * O(n)); {@link #pollDue} and {@link #nextDueMicros} skip anything no longer claimable.
 */
final class Lane {
  final ReentrantLock lock = new ReentrantLock();
  private final ReadyQueue ready = new ReadyQueue();
  private final RecHeap delayed = new RecHeap();
  final Map<String, Rec> liveKeys = new HashMap<>();
  final ArrayDeque<Rec> finished = new ArrayDeque<>();
  int waiting;

  /** Adds a WAITING, not held task where its due time puts it. */
  void enqueue(Rec r, long nowMicros) {
    if (r.runAtMicros <= nowMicros) {
      ready.add(r);
    } else {
      delayed.add(r);
    }
  }

  /** The most urgent due task, removed, or null. */
  Rec pollDue(long nowMicros) {
    promote(nowMicros);
    Rec r;
    while ((r = ready.poll()) != null) {
      if (isClaimable(r)) {
        return r;
      }
    }
    return null;
  }

  /** Epoch micros at which the earliest claimable task is due, or Long.MAX_VALUE if none. */
  long nextDueMicros() {
    Rec r;
    while ((r = ready.peek()) != null && !isClaimable(r)) {
      ready.poll();
    }
    long due = r == null ? Long.MAX_VALUE : r.runAtMicros;
    while ((r = delayed.peek()) != null && !isClaimable(r)) {
      delayed.poll();
    }
    return r == null ? due : Math.min(due, r.runAtMicros);
  }

  /** Marks a record finished at {@code at}, for retention's oldest-first removal. */
  void retire(Rec r, Instant at) {
    r.finishedAt = at;
    if (r.key != null) {
      liveKeys.remove(r.key, r);
    }
    finished.addLast(r);
  }

  private void promote(long nowMicros) {
    Rec r;
    while ((r = delayed.peek()) != null && r.runAtMicros <= nowMicros) {
      delayed.poll();
      if (isClaimable(r)) {
        ready.add(r);
      }
    }
  }

  private static boolean isClaimable(Rec r) {
    return r.status == TaskStatus.WAITING && !r.held;
  }
}
