package io.errand.http;

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
 * <p>Sequence numbers start at 1 with each server start; the stream's ids carry a name of the
 * run besides ({@link EventIds}), so that a client of an earlier run is told to start over
 * rather than resumed at a number that means another event now. When the engine itself drops
 * events for this listener (its buffer was full), a marker entry takes their place so that
 * readers learn of the loss too.
 *
 * <p><b>In a cluster</b> (events numbered by the store's event log, {@link TaskEvent#seq}) an
 * entry's number is the event's own, the same on every node, so a client may resume on any
 * node. Numbers then have holes; the ring keeps each entry at its number's slot and skips the
 * numbers it has no entry for. The count of events lost before an entry rides on that entry.
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
  private long first; // guarded by lock; the first entry's number
  /** Whether events come numbered by the cluster's event log. */
  private final boolean clustered;
  /** How the stream writes and reads this log's numbers: with this run's name on one node. */
  private final EventIds ids;
  private boolean closed; // guarded by lock
  private volatile Subscription subscription;
  private long droppedSeen; // only the listener thread

  /**
   * @param size      how many entries it keeps
   * @param clustered whether events come numbered by the cluster's event log
   */
  EventLog(int size, boolean clustered) {
    this.clustered = clustered;
    this.ids = clustered ? EventIds.cluster() : EventIds.newRun();
    if (size < 1) {
      throw new IllegalArgumentException("the event buffer must hold at least 1 event, was "
          + size);
    }
    this.ring = new Entry[size];
  }

  /** The ids of this log's entries on the stream. */
  EventIds ids() {
    return ids;
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
    long lost = dropped - droppedSeen;
    droppedSeen = dropped;
    if (event.seq() > 0) {
      add(UrlPasswords.mask(event), lost);
      return;
    }
    if (lost > 0) {
      add(null, lost);
    }
    add(UrlPasswords.mask(event), 0);
  }

  /**
   * Appends {@code event} (or a marker for {@code lost} dropped events) and returns its number:
   * the event's own when it has one (it then carries {@code lost} itself), else the next.
   */
  long add(TaskEvent event, long lost) {
    lock.lock();
    try {
      long seq;
      if (event != null && event.seq() > 0) {
        seq = Math.max(event.seq(), newest + 1);
      } else {
        seq = newest + 1;
      }
      newest = seq;
      if (first == 0) {
        first = seq;
      }
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
   * The number of the oldest entry kept, or {@link Long#MAX_VALUE} before the first: a
   * cursor below it minus one has missed entries the ring no longer holds.
   */
  long oldest() {
    lock.lock();
    try {
      return newest == 0 ? Long.MAX_VALUE : Math.max(first, newest - ring.length + 1);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The entries after {@code seen}, at most {@code max}, waiting up to {@code waitNanos} for
   * one to come. A cursor older than the ring, or newer than anything appended (an id no
   * stream of this run sent), is answered with a gap and the entries from the oldest kept; in a
   * cluster, a cursor newer than anything appended is another node's that this one has not
   * caught up with yet, and is waited on.
   */
  Read after(long seen, int max, long waitNanos) throws InterruptedException {
    long remaining = waitNanos;
    lock.lock();
    try {
      while (true) {
        if (closed) {
          return new Read(false, seen + 1, List.of(), true);
        }
        long oldest = Math.max(Math.max(1, first), newest - ring.length + 1);
        long from = seen + 1;
        boolean gap = (seen > newest && !clustered) || from < oldest;
        if (gap) {
          from = oldest;
        }
        if (gap || from <= newest || remaining <= 0) {
          List<Entry> entries = new ArrayList<>();
          for (long s = from; s <= newest && entries.size() < max; s++) {
            Entry e = ring[(int) (s % ring.length)];
            if (e != null && e.seq() == s) { // a cluster's numbers have holes
              entries.add(e);
            }
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
