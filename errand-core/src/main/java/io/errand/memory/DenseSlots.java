package io.errand.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The records of the ids the store numbers itself, in chunks of {@value #SIZE} slots: id
 * {@code n} sits at slot {@code n & MASK} of chunk {@code n >>> SHIFT}. It replaces a
 * {@code ConcurrentHashMap<Long, Rec>} on the hot path, which under a retention of millions of
 * tasks cost a boxed key and a node per task, a cache miss per look-up and long resizes
 * (docs/benchmarks.md, "Issue 17 … hotpath"): here a look-up is two array reads and a task costs
 * one slot.
 *
 * <p>A chunk is dropped once every id of it is <em>resolved</em>: its record was removed, or the
 * id will never hold one (a group's number, an id skipped). Each number is handed out once and
 * resolved once ({@link #resolve}), so a dropped chunk is never needed again, and memory stays
 * flat while retention removes the oldest tasks.
 *
 * <p>Reads take no lock: the directory of chunks is an immutable snapshot published through a
 * volatile field, replaced (copy on write, under this object's monitor) when a chunk is added or
 * dropped, which happens once per {@value #SIZE} ids.
 */
final class DenseSlots {
  static final int SHIFT = 12;
  static final int SIZE = 1 << SHIFT;
  private static final int MASK = SIZE - 1;

  /** One run of {@link #SIZE} ids and how many of them are not yet resolved. */
  private static final class Chunk {
    final long number;
    final AtomicReferenceArray<Rec> slots = new AtomicReferenceArray<>(SIZE);
    final AtomicInteger unresolved;

    Chunk(long number) {
      this.number = number;
      this.unresolved = new AtomicInteger(number == 0 ? SIZE - 1 : SIZE); // id 0 is never used
    }
  }

  /**
   * The chunks from number {@code base} on, null where none is (yet, or any more); and the
   * few chunks far below that range ({@code far}): those a task kept for long pins (one delayed
   * by a month, say) while millions of ids went by, which an array reaching down to them would
   * make huge.
   */
  private record Directory(long base, Chunk[] chunks, Map<Long, Chunk> far) {
    static final Directory EMPTY = new Directory(0, new Chunk[0], Map.of());

    Chunk at(long number) {
      long i = number - base;
      if (i >= 0 && i < chunks.length) {
        return chunks[(int) i];
      }
      return far.isEmpty() ? null : far.get(number);
    }

    /** This directory with {@code number} set to {@code chunk} (null drops it), compacted. */
    Directory with(long number, Chunk chunk) {
      List<Chunk> all = new ArrayList<>(chunks.length + far.size() + 1);
      for (Chunk c : chunks) {
        if (c != null && c.number != number) {
          all.add(c);
        }
      }
      for (Chunk c : far.values()) {
        if (c.number != number) {
          all.add(c);
        }
      }
      if (chunk != null) {
        all.add(chunk);
      }
      if (all.isEmpty()) {
        return EMPTY;
      }
      all.sort(Comparator.comparingLong(c -> c.number));
      long high = all.getLast().number;
      // The array spans at most a few times as many chunks as are held; older ones go far.
      long low = Math.max(all.getFirst().number, high - Math.max(64, 4L * all.size()));
      Chunk[] next = new Chunk[Math.max(16, Integer.highestOneBit((int) (high - low + 1)) << 1)];
      Map<Long, Chunk> farther = new HashMap<>();
      for (Chunk c : all) {
        if (c.number < low) {
          farther.put(c.number, c);
        } else {
          next[(int) (c.number - low)] = c;
        }
      }
      return new Directory(low, next, Map.copyOf(farther));
    }
  }

  private volatile Directory directory = Directory.EMPTY;

  /** The record of id {@code id}, or null. */
  Rec get(long id) {
    Chunk c = directory.at(id >>> SHIFT);
    return c == null ? null : c.slots.get((int) (id & MASK));
  }

  /**
   * Stores {@code rec} under its id, a number handed out by the store once and not resolved
   * yet: no other thread writes its slot.
   */
  void put(Rec rec) {
    chunk(rec.id >>> SHIFT).slots.set((int) (rec.id & MASK), rec);
  }

  /** Empties the slot of {@code rec} if it still holds it, and resolves its id. */
  boolean remove(Rec rec) {
    Chunk c = directory.at(rec.id >>> SHIFT);
    if (c == null || !c.slots.compareAndSet((int) (rec.id & MASK), rec, null)) {
      return false;
    }
    resolved(c);
    return true;
  }

  /** Puts {@code now} in the slot of {@code before} (same id) if it still holds it. */
  boolean replace(Rec before, Rec now) {
    Chunk c = directory.at(before.id >>> SHIFT);
    return c != null && c.slots.compareAndSet((int) (before.id & MASK), before, now);
  }

  /**
   * Empties the slot of {@code rec} if it holds it, as {@link #remove}, without resolving its
   * id: for a record taken back at once by the thread that put it, whose id it resolves itself.
   */
  void takeBack(Rec rec) {
    Chunk c = directory.at(rec.id >>> SHIFT);
    if (c != null) {
      c.slots.compareAndSet((int) (rec.id & MASK), rec, null);
    }
  }

  /** Number {@code id} was handed out and will never hold a record here (or no longer does). */
  void resolve(long id) {
    resolved(chunk(id >>> SHIFT));
  }

  /** How many chunks are held now (for tests: memory stays flat under retention). */
  int chunks() {
    Directory d = directory;
    int n = d.far.size();
    for (Chunk c : d.chunks) {
      if (c != null) {
        n++;
      }
    }
    return n;
  }

  /** How many slots of directory the held chunks take (for tests: it stays small). */
  int directorySize() {
    Directory d = directory;
    return d.chunks.length + d.far.size();
  }

  private void resolved(Chunk c) {
    if (c.unresolved.decrementAndGet() == 0) {
      synchronized (this) {
        if (directory.at(c.number) == c) {
          directory = directory.with(c.number, null);
        }
      }
    }
  }

  /** The chunk of {@code number}, made if it is not there yet. */
  private Chunk chunk(long number) {
    Chunk c = directory.at(number);
    if (c != null) {
      return c;
    }
    synchronized (this) {
      Directory d = directory;
      c = d.at(number);
      if (c == null) {
        c = new Chunk(number);
        directory = d.with(number, c);
      }
      return c;
    }
  }
}
