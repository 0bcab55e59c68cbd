package io.errand.memory;

import io.errand.api.TaskStatus;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One queue's tasks in the memory store. Everything here is guarded by {@link #lock}.
 *
 * <p>Cancelled tasks are not removed from the heaps (that would cost O(n)); {@link #pollDue}
 * skips anything that is no longer WAITING.
 */
final class Lane {
  private static final Comparator<Rec> URGENCY = Comparator
      .comparingInt((Rec r) -> -r.priority)
      .thenComparingLong(r -> r.runAtMicros)
      .thenComparingLong(r -> r.id);
  private static final Comparator<Rec> FINISHED = Comparator
      .comparingLong((Rec r) -> r.finishedMicros)
      .thenComparingLong(r -> r.id);
  private static final Comparator<Rec> DUE = Comparator
      .comparingLong((Rec r) -> r.runAtMicros)
      .thenComparingLong(r -> r.id);

  final ReentrantLock lock = new ReentrantLock();
  private final PriorityQueue<Rec> ready = new PriorityQueue<>(URGENCY);
  private final PriorityQueue<Rec> delayed = new PriorityQueue<>(DUE);
  final Map<String, Rec> liveKeys = new HashMap<>();
  /** Finished tasks, oldest finish first (they need not finish in the order they retire). */
  final PriorityQueue<Rec> finished = new PriorityQueue<>(FINISHED);
  int waiting;

  /** Adds a WAITING, not held task to the heap that fits its due time. */
  void enqueue(Rec r, long nowMicros) {
    if (r.runAtMicros <= nowMicros) {
      ready.add(r);
    } else {
      delayed.add(r);
    }
  }

  /** The most urgent due task, removed from the heaps, or null. */
  Rec pollDue(long nowMicros) {
    promote(nowMicros);
    Rec r;
    while ((r = ready.poll()) != null) {
      if (r.status == TaskStatus.WAITING && !r.held) {
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
    long due = Long.MAX_VALUE;
    if (r != null) {
      // The ready heap is ordered by urgency, not time: its head need not be the earliest.
      // The engine asks after a claim found nothing, so this heap is then (nearly) empty.
      for (Rec x : ready) {
        if (isClaimable(x)) {
          due = Math.min(due, x.runAtMicros);
        }
      }
    }
    while ((r = delayed.peek()) != null && !isClaimable(r)) {
      delayed.poll();
    }
    return r == null ? due : Math.min(due, r.runAtMicros);
  }

  /** Marks a record finished, for retention's oldest-first removal. */
  void retire(Rec r, long nowMicros) {
    r.finishedMicros = nowMicros;
    if (r.key != null) {
      liveKeys.remove(r.key, r);
    }
    finished.add(r);
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
