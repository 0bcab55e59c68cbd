package io.errand.memory;

import java.util.Arrays;

/**
 * A binary min-heap of records in one of two orders, with the comparison written out: on the
 * claim path a chain of {@code Comparator} lambdas cost more than the heap itself.
 */
final class RecHeap {
  /** An order of records. */
  interface Order {
    /** Whether {@code a} comes strictly before {@code b}. */
    boolean before(Rec a, Rec b);
  }

  /** By due time (runAt), then id. */
  static final Order DUE = RecHeap::dueBefore;

  /** By finish time, then id. */
  static final Order FINISHED = (a, b) -> {
    int c = a.finishedAt.compareTo(b.finishedAt);
    return c < 0 || (c == 0 && a.id < b.id);
  };

  private final Order order;
  private Rec[] items = new Rec[16];
  private int size;

  RecHeap(Order order) {
    this.order = order;
  }

  /** Whether {@code a} is due strictly before {@code b} (runAt, then id). */
  static boolean dueBefore(Rec a, Rec b) {
    return a.runAtMicros < b.runAtMicros || (a.runAtMicros == b.runAtMicros && a.id < b.id);
  }

  private boolean before(Rec a, Rec b) {
    return order.before(a, b);
  }

  /** The records, in no particular order (for a scan). */
  Rec get(int i) {
    return items[i];
  }

  int size() {
    return size;
  }

  Rec peek() {
    return size == 0 ? null : items[0];
  }

  void add(Rec r) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Rec p = items[parent];
      if (!before(r, p)) {
        break;
      }
      items[i] = p;
      i = parent;
    }
    items[i] = r;
  }

  Rec poll() {
    if (size == 0) {
      return null;
    }
    Rec first = items[0];
    Rec last = items[--size];
    items[size] = null;
    if (size > 0) {
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        Rec c = items[child];
        int right = child + 1;
        if (right < size && before(items[right], c)) {
          child = right;
          c = items[child];
        }
        if (!before(c, last)) {
          break;
        }
        items[i] = c;
        i = child;
      }
      items[i] = last;
    }
    if (size < items.length / 4 && items.length > 64) {
      items = Arrays.copyOf(items, items.length / 2);
    }
    return first;
  }
}
