package io.errand.memory;

import io.errand.api.InvalidTaskException;
import io.errand.api.Page;
import io.errand.spi.NewTask;
import io.errand.spi.TaskRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Every task of the memory store by id, and the ids themselves. Ids the store numbers are
 * dense from 1, so a newest-first listing walks them downward without an ordered index on the
 * hot path; ids given by a queue's id generator may lie anywhere and are kept in a sorted set
 * (only when there are any).
 */
final class TaskIndex {
  private final ConcurrentHashMap<Long, Rec> tasks = new ConcurrentHashMap<>();
  private final AtomicLong numbered = new AtomicLong();
  private final ConcurrentSkipListSet<Long> given = new ConcurrentSkipListSet<>();

  Rec get(long id) {
    return tasks.get(id);
  }

  /** A fresh number, for a group. */
  long nextNumber() {
    return numbered.incrementAndGet();
  }

  /**
   * Adds a record for {@code t}: numbered by the store when its id is 0.
   *
   * @throws InvalidTaskException if a given id is negative or taken
   */
  Rec add(NewTask t) {
    long id = t.id();
    if (id < 0) {
      throw new InvalidTaskException("task id must be positive, was " + id);
    }
    Instant runAt = t.runAt().equals(t.createdAt()) ? t.createdAt() : t.runAt();
    if (id == 0) {
      Rec rec;
      do { // skip ids an id generator has taken already
        id = numbered.incrementAndGet();
        rec = new Rec(id, t.queue(), t.args(), t.createdAt(), runAt, t.priority(), t.key());
      } while (tasks.putIfAbsent(id, rec) != null);
      return rec;
    }
    Rec rec = new Rec(id, t.queue(), t.args(), t.createdAt(), runAt, t.priority(), t.key());
    if (tasks.putIfAbsent(id, rec) != null) {
      throw new InvalidTaskException("task id " + id + " is already used; an id generator must "
          + "return a new positive id each time");
    }
    given.add(id);
    return rec;
  }

  /** Removes {@code r} if it is still the record of its id. */
  boolean remove(Rec r) {
    if (!tasks.remove(r.id, r)) {
      return false;
    }
    if (!given.isEmpty()) {
      given.remove(r.id);
    }
    return true;
  }

  /** Puts {@code now} in the place of {@code before} (same id); false if it was removed. */
  boolean replace(Rec before, Rec now) {
    return tasks.replace(before.id, before, now);
  }

  /** Whether {@code r} is still stored. */
  boolean holds(Rec r) {
    return tasks.get(r.id) == r;
  }

  /**
   * A page of snapshots, newest (highest id) first, of the records of {@code queue} (or all)
   * for which {@code snapshotIfMatching} returns a snapshot.
   */
  Page<TaskRecord> newestFirst(String queue, long cursor, int limit,
      Function<Rec, TaskRecord> snapshotIfMatching) {
    long from = cursor > 0 ? cursor - 1 : Long.MAX_VALUE;
    Iterator<Long> givenIds = given.headSet(from, true).descendingIterator();
    long dense = Math.min(from, numbered.get());
    long nextGiven = givenIds.hasNext() ? givenIds.next() : 0;
    List<TaskRecord> items = new ArrayList<>(Math.min(limit, 64));
    long lastId = Long.MAX_VALUE;
    while (dense > 0 || nextGiven > 0) {
      long id = Math.max(dense, nextGiven); // merge both id sources, newest first
      if (id == dense) {
        dense--;
      }
      if (id == nextGiven) {
        nextGiven = givenIds.hasNext() ? givenIds.next() : 0;
      }
      Rec r = tasks.get(id);
      if (r == null || (queue != null && !queue.equals(r.queue))) {
        continue;
      }
      TaskRecord snap = snapshotIfMatching.apply(r);
      if (snap == null) {
        continue;
      }
      if (items.size() == limit) {
        return new Page<>(items, lastId);
      }
      items.add(snap);
      lastId = id;
    }
    return new Page<>(items, 0);
  }
}
