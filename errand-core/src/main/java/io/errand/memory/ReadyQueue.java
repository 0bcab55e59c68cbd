package io.errand.memory;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * A queue's due tasks in claim order: highest priority, then earliest runAt, then lowest id.
 * Guarded by the lane's lock.
 *
 * <p>Per priority, tasks that arrive in order (a new task is due now and has the highest id so
 * far, which is nearly always) are appended to a FIFO in O(1); the rare task that arrives out
 * of order (a delayed or retried one becoming due late) goes to a small heap. The head is the
 * lesser of the two heads, so the order is exact either way.
 */
final class ReadyQueue {
  private final TreeMap<Integer, Level> levels = new TreeMap<>();
  private Level top; // the highest non-empty level, or null
  private int topPriority;

  /** One priority's tasks: an in-order FIFO and a heap for latecomers. */
  private static final class Level {
    final ArrayDeque<Rec> inOrder = new ArrayDeque<>();
    final RecHeap late = new RecHeap(RecHeap.DUE);
    int size;

    void add(Rec r) {
      Rec tail = inOrder.peekLast();
      if (tail == null || !RecHeap.dueBefore(r, tail)) {
        inOrder.addLast(r);
      } else {
        late.add(r);
      }
      size++;
    }

    Rec poll() {
      Rec a = inOrder.peekFirst();
      Rec b = late.peek();
      size--;
      if (b == null || (a != null && RecHeap.dueBefore(a, b))) {
        return inOrder.pollFirst();
      }
      return late.poll();
    }
  }

  void add(Rec r) {
    Level level = levels.get(r.priority);
    if (level == null) {
      level = new Level();
      levels.put(r.priority, level);
    }
    level.add(r);
    if (top == null || r.priority > topPriority) {
      top = level;
      topPriority = r.priority;
    }
  }

  /** Removes and returns the first task, or null when empty. */
  Rec poll() {
    if (top == null) {
      return null;
    }
    Rec r = top.poll();
    if (top.size == 0) {
      levels.remove(r.priority);
      Map.Entry<Integer, Level> next = levels.lastEntry();
      top = next == null ? null : next.getValue();
      topPriority = next == null ? 0 : next.getKey();
    }
    return r;
  }

  /**
   * The earliest runAt (epoch micros) of a claimable task, whatever its priority, or
   * Long.MAX_VALUE. Scans past cancelled entries; the engine asks only when it found no work,
   * when this queue is (nearly) empty.
   */
  long earliestDueMicros() {
    long due = Long.MAX_VALUE;
    for (Level level : levels.values()) {
      for (Rec r : level.inOrder) { // sorted: the first claimable one is its earliest
        if (r.isClaimable()) {
          due = Math.min(due, r.runAtMicros);
          break;
        }
      }
      for (int i = 0; i < level.late.size(); i++) {
        Rec r = level.late.get(i);
        if (r.isClaimable()) {
          due = Math.min(due, r.runAtMicros);
        }
      }
    }
    return due;
  }

  /** The first task without removing it, or null. */
  Rec peek() {
    if (top == null) {
      return null;
    }
    Rec a = top.inOrder.peekFirst();
    Rec b = top.late.peek();
    return b == null || (a != null && RecHeap.dueBefore(a, b)) ? a : b;
  }
}
