package io.errand.server.http;

import io.errand.api.Errand;
import io.errand.api.EventListener;
import io.errand.api.Subscription;
import io.errand.api.TaskEvent;
import io.errand.common.UrlPasswords;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The recent events, numbered: a bounded ring that the engine's listener thread appends to and
 * every SSE client reads from at its own pace, each with its own cursor (the sequence number it
 * saw last). Appending never waits for a reader, so a slow client can only fall behind; when it
 * has fallen out of the ring it is told so ({@link Read#gap()}) and goes on from the oldest
 * entry kept.
 *
 * <p>Sequence numbers start at 1 with each server start. When the engine itself drops events
 * for this listener (its buffer was full), a marker entry takes their place so that readers
 * learn of the loss too.
 */
final class EventLog implements EventListener, AutoCloseable {
  /** An event with its sequence number, or (event null) a marker for {@code lost} events. */
  record Entry(long seq, TaskEvent event, long lost) {}

  /**
   * What a reader gets next.
   *
   * @param gap     whether entries the reader had not seen are gone (or its cursor is unknown)
   * @param from    the sequence number the entries start at
   * @param entries the entries, oldest first; empty when none came in time
   * @param closed  whether the log is closed: the reader should stop
   */
  record Read(boolean gap, long from, List<Entry> entries, boolean closed) {}

  private final Entry[] ring;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  private long newest; // guarded by lock; 0 before the first entry
  private boolean closed; // guarded by lock
  private volatile Subscription subscription;
  private long droppedSeen; // only the listener thread

  EventLog(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("the event buffer must hold at least 1 event, was "
          + size);
    }
    this.ring = new Entry[size];
  }

  /** Starts receiving {@code errand}'s events. */
  void subscribe(Errand errand) {
    attach(errand.listen("http-events", this));
  }

  /** The subscription whose dropped events this log reports as gaps. */
  void attach(Subscription s) {
    subscription = s;
  }

  Subscription subscription() {
    return subscription;
  }

  @Override
  public void onEvent(TaskEvent event) {
    Subscription s = subscription;
    long dropped = s == null ? 0 : s.dropped();
    if (dropped > droppedSeen) {
      add(null, dropped - droppedSeen);
      droppedSeen = dropped;
    }
    add(UrlPasswords.mask(event), 0);
  }

  /** Appends {@code event} (or a marker for {@code lost} dropped events); returns its number. */
  long add(TaskEvent event, long lost) {
    lock.lock();
    try {
      long seq = ++newest;
      ring[(int) (seq % ring.length)] = new Entry(seq, event, lost);
      appended.signalAll();
      return seq;
    } finally {
      lock.unlock();
    }
  }

  /** The sequence number of the newest entry, 0 if none. */
  long newest() {
    lock.lock();
    try {
      return newest;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The entries after {@code seen}, at most {@code max}, waiting up to {@code waitNanos} for
   * one to come. A cursor older than the ring, or newer than anything appended (a client of an
   * earlier server run), is answered with a gap and the entries from the oldest kept.
   */
  Read after(long seen, int max, long waitNanos) throws InterruptedException {
    long remaining = waitNanos;
    lock.lock();
    try {
      while (true) {
        if (closed) {
          return new Read(false, seen + 1, List.of(), true);
        }
        long oldest = Math.max(1, newest - ring.length + 1);
        long from = seen + 1;
        boolean gap = seen > newest || from < oldest;
        if (gap) {
          from = oldest;
        }
        if (gap || from <= newest || remaining <= 0) {
          List<Entry> entries = new ArrayList<>();
          for (long s = from; s <= newest && entries.size() < max; s++) {
            entries.add(ring[(int) (s % ring.length)]);
          }
          return new Read(gap, from, entries, false);
        }
        remaining = appended.awaitNanos(remaining);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops receiving events and releases every waiting reader. */
  @Override
  public void close() {
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
    lock.lock();
    try {
      closed = true;
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
