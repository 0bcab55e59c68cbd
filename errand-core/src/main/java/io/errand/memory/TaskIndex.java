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
 * dense from 1: their records sit in {@link DenseSlots} (no boxed key, no hash node, no resize
 * per task), and a newest-first listing walks them downward without an ordered index on the hot
 * path. Ids given by a queue's id generator may lie anywhere and are kept in a map and a sorted
 * set (only when there are any).
 *
 * <p>One id names one task whichever side holds it: a numbered insert stores its record, then
 * looks for a given one of that id; a given insert stores its record, then looks for a numbered
 * one. Each writes before it reads, so of two racing inserts of one id at least one sees the
 * other and backs off (the numbered one takes the next number; the given one is refused).
 */
final class TaskIndex {
  private final DenseSlots numberedTasks = new DenseSlots();
  private final AtomicLong numbered = new AtomicLong();
  private final ConcurrentHashMap<Long, Rec> givenTasks = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Long> given = new ConcurrentSkipListSet<>();

  Rec get(long id) {
    Rec r = numberedTasks.get(id);
    return r != null || givenTasks.isEmpty() ? r : givenTasks.get(id);
  }

  /** A fresh number, for a group: it never names a task. */
  long nextNumber() {
    long n = numbered.incrementAndGet();
    numberedTasks.resolve(n);
    return n;
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
      while (true) { // skip ids an id generator has taken already
        id = numbered.incrementAndGet();
        if (!givenTasks.isEmpty() && givenTasks.containsKey(id)) {
          numberedTasks.resolve(id);
          continue;
        }
        Rec rec = new Rec(id, t.queue(), t.args(), t.createdAt(), runAt, t.priority(), t.key());
        numberedTasks.put(rec);
        if (!givenTasks.isEmpty() && givenTasks.containsKey(id)) { // given meanwhile
          numberedTasks.takeBack(rec);
          numberedTasks.resolve(id);
          continue;
        }
        return rec;
      }
    }
    Rec rec = new Rec(id, t.queue(), t.args(), t.createdAt(), runAt, t.priority(), t.key());
    if (numberedTasks.get(id) != null || givenTasks.putIfAbsent(id, rec) != null) {
      throw taken(id);
    }
    if (numberedTasks.get(id) != null) { // numbered meanwhile
      givenTasks.remove(id, rec);
      throw taken(id);
    }
    given.add(id);
    return rec;
  }

  private static InvalidTaskException taken(long id) {
    return new InvalidTaskException("task id " + id + " is already used; an id generator must "
        + "return a new positive id each time");
  }

  /** Removes {@code r} if it is still the record of its id. */
  boolean remove(Rec r) {
    if (numberedTasks.remove(r)) {
      return true;
    }
    if (givenTasks.isEmpty() || !givenTasks.remove(r.id, r)) {
      return false;
    }
    given.remove(r.id);
    return true;
  }

  /** Puts {@code now} in the place of {@code before} (same id); false if it was removed. */
  boolean replace(Rec before, Rec now) {
    return numberedTasks.replace(before, now)
        || !givenTasks.isEmpty() && givenTasks.replace(before.id, before, now);
  }

  /** Whether {@code r} is still stored. */
  boolean holds(Rec r) {
    return get(r.id) == r;
  }

  /** How many chunks of numbered ids are held (for tests: memory stays flat). */
  int numberedChunks() {
    return numberedTasks.chunks();
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
      Rec r = get(id);
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
