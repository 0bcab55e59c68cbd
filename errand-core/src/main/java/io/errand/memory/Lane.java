package io.errand.memory;

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
  private final RecHeap delayed = new RecHeap(RecHeap.DUE);
  final Map<String, Rec> liveKeys = new HashMap<>();
  /**
   * Per key of a finished task, the latest-created finished task in each finished status
   * (indexed by {@link #finishedSlot}): what a uniqueness with finished states looks at. An
   * entry goes when retention or a delete removes the tasks it names.
   */
  final Map<String, Rec[]> finishedKeys = new HashMap<>();
  /**
   * Finished tasks by finish time, for retention. Workers record finishes nearly in time order,
   * so most are appended to {@code finishedInOrder}; one whose time is before the last goes to
   * {@code finishedLate}. The oldest is the lesser of the two heads.
   */
  private final ArrayDeque<Rec> finishedInOrder = new ArrayDeque<>();
  private final RecHeap finishedLate = new RecHeap(RecHeap.FINISHED);
  int waiting;
  /** When the queue was paused, or null while it runs: a paused lane answers no claim. */
  Instant pausedAt;
  /** Its tasks RUNNING now; kept by every move into and out of RUNNING. */
  int running;
  /** The most tasks that may run at once, or 0 for no limit. */
  int concurrency;

  /**
   * The per-key limits, fairness and rate limits, or null when the queue declared none.
   * Changed under the lock; volatile so that an inserter may read the key value of its tasks
   * before it takes the lock (a flow changed in between reads them again under it).
   */
  volatile Flow flow;

  /** Whether a claim may take a task now: not paused, and room under the concurrency limit. */
  boolean claimable() {
    return pausedAt == null && (concurrency == 0 || running < concurrency);
  }

  /** Adds a WAITING, not held task where its due time puts it. */
  void enqueue(Rec r, long nowMicros) {
    if (r.runAtMicros <= nowMicros) {
      addReady(r);
    } else {
      delayed.add(r);
    }
  }

  /**
   * The most urgent due task, removed, or null. A ready task not due at {@code nowMicros} (the
   * clock went back since it was promoted) goes back to the delay heap.
   */
  Rec pollDue(long nowMicros) {
    promote(nowMicros);
    if (flow != null) {
      return flow.poll(nowMicros, delayed::add);
    }
    Rec r;
    while ((r = ready.poll()) != null) {
      if (!r.isClaimable()) {
        continue;
      }
      if (r.runAtMicros <= nowMicros) {
        return r;
      }
      delayed.add(r);
    }
    return null;
  }

  /** Epoch micros at which the earliest claimable task is due, or Long.MAX_VALUE if none. */
  long nextDueMicros(long nowMicros) {
    long due = flow == null ? ready.earliestDueMicros() : flow.nextDueMicros(nowMicros);
    Rec r;
    while ((r = delayed.peek()) != null && !r.isClaimable()) {
      delayed.poll();
    }
    long delayedDue = r == null ? Long.MAX_VALUE
        : flow == null ? r.runAtMicros : flow.queueOpenAt(r.runAtMicros, nowMicros);
    return Math.min(due, delayedDue);
  }

  /** Counts a claim of {@code r} at {@code at}. */
  void started(Rec r, Instant at, long nowMicros) {
    running++;
    if (flow != null) {
      flow.started(r, at, nowMicros);
    }
  }

  /** Counts the end of {@code r}'s running attempt. */
  void ended(Rec r) {
    running--;
    if (flow != null) {
      flow.ended(r);
    }
  }

  /** Declares new flow limits: the due tasks move over to them. */
  void flow(Flow next) {
    Flow before = flow;
    flow = next;
    if (before != null) {
      before.drainTo(this::addReady);
    } else {
      Rec r;
      while ((r = ready.poll()) != null) {
        if (r.isClaimable()) {
          next.add(r);
        }
      }
    }
  }

  private void addReady(Rec r) {
    if (flow == null) {
      ready.add(r);
    } else {
      flow.add(r);
    }
  }

  /** Marks a record finished at {@code at}, for retention's oldest-first removal. */
  void retire(Rec r, Instant at) {
    r.finishedAt = at;
    if (r.key != null) {
      liveKeys.remove(r.key, r);
      Rec[] slots = finishedKeys.computeIfAbsent(r.key, k -> new Rec[3]);
      int slot = finishedSlot(r);
      if (slots[slot] == null || !slots[slot].createdAt.isAfter(r.createdAt)) {
        slots[slot] = r;
      }
    }
    Rec last = finishedInOrder.peekLast();
    if (last == null || !RecHeap.FINISHED.before(r, last)) {
      finishedInOrder.addLast(r);
    } else {
      finishedLate.add(r);
    }
  }

  /** Forgets {@code r} (removed) as a finished holder of its key. */
  void forgetFinishedKey(Rec r) {
    Rec[] slots = r.key == null ? null : finishedKeys.get(r.key);
    if (slots == null) {
      return;
    }
    int slot = finishedSlot(r);
    if (slots[slot] == r) {
      slots[slot] = null;
      if (slots[0] == null && slots[1] == null && slots[2] == null) {
        finishedKeys.remove(r.key);
      }
    }
  }

  private static int finishedSlot(Rec r) {
    return r.status().ordinal() - io.errand.api.TaskStatus.SUCCESS.ordinal();
  }

  /** Removes and returns the task that finished first, if it finished before {@code cutoff}. */
  Rec pollFinishedBefore(Instant cutoff) {
    Rec a = finishedInOrder.peekFirst();
    Rec b = finishedLate.peek();
    boolean takeA = b == null || (a != null && RecHeap.FINISHED.before(a, b));
    Rec oldest = takeA ? a : b;
    if (oldest == null || !oldest.finishedAt.isBefore(cutoff)) {
      return null;
    }
    return takeA ? finishedInOrder.pollFirst() : finishedLate.poll();
  }

  private void promote(long nowMicros) {
    Rec r;
    while ((r = delayed.peek()) != null && r.runAtMicros <= nowMicros) {
      delayed.poll();
      if (r.isClaimable()) {
        addReady(r);
      }
    }
  }
}
