package io.errand.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded, lock-free ring of events with many producers (workers) and one consumer (the
 * listener's delivery thread). {@link #offer} is one CAS and never blocks; a full ring refuses.
 * Producers wake the consumer only when it has announced it is about to park, and then only
 * one of them: the first to take the announcement back pays for the unpark (a system call for
 * a platform thread), the others see it gone.
 *
 * <p>A producer claims a slot by advancing {@code tail}, then publishes the element into it; the
 * consumer reads slots in order and, when it finds one claimed but not yet published, waits
 * for that one producer to finish its store.
 */
final class EventRing<E> {
  private static final int PAD = 16; // longs: two cache lines, against adjacent-line prefetch
  private static final int TAIL = PAD; // next slot to claim
  private static final int HEAD = 2 * PAD; // next slot to read; consumer writes only
  private final AtomicReferenceArray<E> slots;
  private final int mask;
  /**
   * The two counters, 128 bytes apart in one array: as two small objects allocated together
   * they could share a cache line, so every advance of {@code head} by the consumer took the
   * line away from the producers claiming with {@code tail} (false sharing; JFR showed
   * {@link #offer} as the hottest frame of a no-op task).
   */
  private final AtomicLongArray counters = new AtomicLongArray(3 * PAD);
  /** Producers' cached bound: slots below it are free. Re-read from head only when reached. */
  private volatile long limit;
  private volatile Thread consumer;
  @SuppressWarnings("unused") // through PARKING
  private volatile boolean consumerParking;
  private static final VarHandle PARKING;

  static {
    try {
      PARKING = MethodHandles.lookup().findVarHandle(EventRing.class, "consumerParking",
          boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  EventRing(int capacity) {
    int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
    this.limit = size;
  }

  int capacity() {
    return mask + 1;
  }

  /** Adds {@code e}, or returns false at once if the ring is full. */
  boolean offer(E e) {
    long t;
    do {
      t = counters.get(TAIL);
      if (t >= limit) { // producers touch the consumer's counter only when the ring looks full
        long bound = counters.get(HEAD) + slots.length();
        if (t >= bound) {
          return false;
        }
        limit = bound;
      }
    } while (!counters.compareAndSet(TAIL, t, t + 1));
    slots.lazySet((int) (t & mask), e);
    if (consumerParking && PARKING.compareAndSet(this, true, false)) {
      LockSupport.unpark(consumer);
    }
    return true;
  }

  /** The next element, or null if none is published yet. Consumer thread only. */
  E poll() {
    long h = counters.get(HEAD);
    int i = (int) (h & mask);
    E e = slots.get(i);
    if (e == null) {
      if (h == counters.get(TAIL)) {
        return null;
      }
      do { // claimed, not yet stored: that producer is between its CAS and its store
        Thread.onSpinWait();
        e = slots.get(i);
      } while (e == null);
    }
    slots.lazySet(i, null);
    counters.lazySet(HEAD, h + 1);
    return e;
  }

  boolean isEmpty() {
    return counters.get(HEAD) == counters.get(TAIL);
  }

  /** Parks the consumer up to {@code nanos} unless an element is (or becomes) available. */
  void awaitElement(long nanos) {
    consumer = Thread.currentThread();
    consumerParking = true;
    if (isEmpty()) { // re-check after announcing: a producer that missed the flag left an element
      LockSupport.parkNanos(this, nanos);
    }
    consumerParking = false;
  }
}
