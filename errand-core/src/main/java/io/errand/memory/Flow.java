package io.errand.memory;

import io.errand.spi.FlowLimits;
import io.errand.spi.StartWindow;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.BiFunction;

/**
 * A lane's limits beyond its global concurrency, with its due tasks per key value, guarded by
 * the lane's lock. Claims turn over the key values that have due tasks ({@link #turn}): each
 * claim takes the most urgent task of the key at the head and moves that key to the back, so
 * a key with 100,000 tasks gets one start per round like a key with ten. A key at its per-key
 * limit leaves the turn ({@link #full}) until one of its tasks ends; a key out of rate stays in
 * the turn and is passed over. Without a key, all tasks share the one key "", so this is the
 * queue's rate limit alone.
 */
final class Flow {
  final FlowLimits limits;
  private final BiFunction<String, Object, String> keyOf;
  private final Map<String, ReadyQueue> byKey = new HashMap<>();
  /** Keys with due tasks and room, in claim order. Each key of {@link #byKey} is here or full. */
  private final ArrayDeque<String> turn = new ArrayDeque<>();
  private final Set<String> full = new HashSet<>();
  private final Map<String, Integer> running = new HashMap<>();
  private final StartWindow queueStarts;
  private final Map<String, StartWindow> keyStarts = new HashMap<>();
  /** The time of the last start, when a rate limit counts starts. */
  private java.time.Instant lastStart;

  Flow(FlowLimits limits, BiFunction<String, Object, String> keyOf) {
    this.limits = limits;
    this.keyOf = limits.keyed() ? keyOf : (key, args) -> "";
    this.queueStarts = limits.rate() == null ? null : new StartWindow(limits.rate());
  }

  String key(Rec r) {
    if (r.flowKey == null) {
      r.flowKey = keyOf.apply(r.key, r.args);
    }
    return r.flowKey;
  }

  /**
   * The key value of a task with submit key {@code key} and arguments {@code args}: for an
   * inserter to read before it takes the lane's lock (it may write the arguments as JSON).
   */
  String keyOf(String key, Object args) {
    return keyOf.apply(key, args);
  }

  /** Adds a due task. */
  void add(Rec r) {
    String k = key(r);
    ReadyQueue q = byKey.get(k);
    if (q == null) {
      q = new ReadyQueue();
      byKey.put(k, q);
      if (atLimit(k)) {
        full.add(k);
      } else {
        turn.addLast(k);
      }
    }
    q.add(r);
  }

  /**
   * The next task to claim at {@code nowMicros}, removed, or null. Tasks found not due (the
   * clock went back) go to {@code notDue}.
   */
  Rec poll(long nowMicros, Consumer<Rec> notDue) {
    if (queueStarts != null && !queueStarts.open(nowMicros)) {
      return null;
    }
    for (int i = turn.size(); i > 0; i--) {
      String k = turn.pollFirst();
      if (atLimit(k)) {
        full.add(k);
        continue;
      }
      if (!keyWindowOpen(k, nowMicros)) {
        turn.addLast(k);
        continue;
      }
      ReadyQueue q = byKey.get(k);
      Rec r;
      while ((r = q.poll()) != null && (!r.isClaimable() || r.runAtMicros > nowMicros)) {
        if (r.isClaimable()) {
          notDue.accept(r);
        }
      }
      if (q.peek() == null) {
        byKey.remove(k);
      } else {
        turn.addLast(k);
      }
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  /**
   * The time a claim at {@code now} records as its start: never before the last start when a
   * rate limit counts them. Claimers read the clock before they take the lane's lock, so their
   * times may come out of order; the window must see them in order to be exact.
   */
  java.time.Instant notBefore(java.time.Instant now) {
    boolean rated = queueStarts != null || limits.perKeyRate() != null;
    return rated && lastStart != null && lastStart.isAfter(now) ? lastStart : now;
  }

  /** Counts a claim of {@code r} at {@code at} ({@link #notBefore}). */
  void started(Rec r, java.time.Instant at, long nowMicros) {
    lastStart = at;
    String k = key(r);
    running.merge(k, 1, Integer::sum);
    if (queueStarts != null) {
      queueStarts.started(nowMicros);
    }
    if (limits.perKeyRate() != null) {
      keyStarts.computeIfAbsent(k, x -> new StartWindow(limits.perKeyRate())).started(nowMicros);
    }
  }

  /** Counts the end of {@code r}'s running attempt; its key rejoins the turn if it was full. */
  void ended(Rec r) {
    String k = key(r);
    Integer n = running.get(k);
    if (n == null) {
      return; // claimed before these limits were declared
    }
    if (n <= 1) {
      running.remove(k);
    } else {
      running.put(k, n - 1);
    }
    if (!atLimit(k) && full.remove(k)) {
      turn.addLast(k);
    }
  }

  /**
   * Epoch micros at which a due task may be claimed next, or Long.MAX_VALUE when only an end
   * makes room (or nothing is due).
   */
  long nextDueMicros(long nowMicros) {
    long due = Long.MAX_VALUE;
    for (String k : turn) {
      if (atLimit(k)) {
        continue; // leaves the turn at the next claim; an end makes room, not time
      }
      long earliest = byKey.get(k).earliestDueMicros();
      if (earliest != Long.MAX_VALUE) {
        StartWindow w = keyStarts.get(k);
        due = Math.min(due, w == null ? earliest
            : Math.max(earliest, w.nextOpenMicros(nowMicros)));
      }
    }
    return queueOpenAt(due, nowMicros);
  }

  /** {@code due}, or later when the queue's rate limit allows no start before. */
  long queueOpenAt(long due, long nowMicros) {
    return queueStarts == null || due == Long.MAX_VALUE ? due
        : Math.max(due, queueStarts.nextOpenMicros(nowMicros));
  }

  /** Moves every due task out, for a new declaration of the limits. */
  void drainTo(Consumer<Rec> to) {
    for (ReadyQueue q : byKey.values()) {
      Rec r;
      while ((r = q.poll()) != null) {
        r.flowKey = null;
        to.accept(r);
      }
    }
    byKey.clear();
    turn.clear();
    full.clear();
  }

  /** Why {@code r} is held back by these limits at {@code nowMicros}, if it is. */
  Optional<String> heldBack(String queue, Rec r, long nowMicros) {
    String k = key(r);
    if (queueStarts != null && !queueStarts.open(nowMicros)) {
      return Optional.of("rate limit of queue '" + queue + "': " + limits.rate()
          + ", next slot in " + in(queueStarts.nextOpenMicros(nowMicros) - nowMicros));
    }
    if (atLimit(k)) {
      return Optional.of("concurrency limit of key '" + k + "' in queue '" + queue + "': "
          + running.getOrDefault(k, 0) + " of " + limits.perKey() + " running");
    }
    StartWindow w = keyStarts.get(k);
    if (w != null && !w.open(nowMicros)) {
      return Optional.of("rate limit of key '" + k + "' in queue '" + queue + "': "
          + limits.perKeyRate() + ", next slot in " + in(w.nextOpenMicros(nowMicros) - nowMicros));
    }
    return Optional.empty();
  }

  private boolean atLimit(String k) {
    return limits.perKey() > 0 && running.getOrDefault(k, 0) >= limits.perKey();
  }

  private boolean keyWindowOpen(String k, long nowMicros) {
    StartWindow w = keyStarts.get(k);
    if (w == null) {
      return true;
    }
    if (w.empty(nowMicros)) {
      keyStarts.remove(k); // forgotten: one window per key that started lately, not per key
      return true;
    }
    return w.open(nowMicros);
  }

  private static String in(long micros) {
    return StartWindow.waitText(micros);
  }
}
