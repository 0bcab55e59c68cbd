package io.errand.engine;

import io.errand.api.DurationText;
import io.errand.api.HistoryBucket;
import io.errand.api.InvalidTaskException;
import io.errand.api.TaskStatus;
import io.errand.spi.TaskHistory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what this node's workers do per queue and minute, and adds it to the store's
 * {@link TaskHistory} every {@link #FLUSH} (and before a read, and at shutdown). Only this
 * node's attempts are counted, so a shared store's rows sum the cluster without counting a task
 * twice. A worker's cost is a few atomic adds; the store is written off the workers' threads.
 *
 * <p>Each counter is taken with {@code getAndSet(0)}, so an add racing a flush lands either in
 * this flush or the next, never nowhere. A cell is dropped once its minute is two minutes old:
 * no worker writes a minute that far back.
 */
final class HistoryRecorder {
  private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);
  static final Duration FLUSH = Duration.ofSeconds(5);
  private static final long MINUTE_MS = 60_000;
  private static final int MAX_UNSENT = 10_000;

  private record Key(String queue, long minute) {}

  /** One queue's counts in one minute, not yet added to the store. */
  private static final class Cell {
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong started = new AtomicLong();
    final AtomicLong waitMillis = new AtomicLong();
    final AtomicLong waitMax = new AtomicLong();
    final AtomicLong ran = new AtomicLong();
    final AtomicLong runMillis = new AtomicLong();
    final AtomicLong runMax = new AtomicLong();
  }

  private final TaskHistory history;
  private final InstantSource clock;
  private final Timers timers;
  private final Map<Key, Cell> cells = new ConcurrentHashMap<>();
  private final ReentrantLock flushing = new ReentrantLock();
  private long prunedMinute;
  private List<HistoryBucket> unsent = List.of();

  /** Counts for {@code history}; with null (a store without one) it counts nothing. */
  HistoryRecorder(TaskHistory history, InstantSource clock, Timers timers) {
    this.history = history;
    this.clock = clock;
    this.timers = timers;
  }

  /** An attempt of {@code queue} started {@code waitNanos} after it was due. */
  void started(String queue, long waitNanos) {
    if (history == null) {
      return;
    }
    Cell c = cell(queue);
    long ms = Math.max(0, waitNanos) / 1_000_000;
    c.started.incrementAndGet();
    c.waitMillis.addAndGet(ms);
    c.waitMax.accumulateAndGet(ms, Math::max);
  }

  /** An attempt of {@code queue} ran {@code ranNanos}; {@code status} is its task's after it. */
  void ended(String queue, long ranNanos, TaskStatus status) {
    if (history == null) {
      return;
    }
    Cell c = cell(queue);
    long ms = Math.max(0, ranNanos) / 1_000_000;
    c.ran.incrementAndGet();
    c.runMillis.addAndGet(ms);
    c.runMax.accumulateAndGet(ms, Math::max);
    if (status == TaskStatus.SUCCESS) {
      c.succeeded.incrementAndGet();
    } else if (status == TaskStatus.FAILURE) {
      c.failed.incrementAndGet();
    }
  }

  private Cell cell(String queue) {
    return cells.computeIfAbsent(new Key(queue, clock.millis() / MINUTE_MS), k -> new Cell());
  }

  /** The most spans one read may return per queue. */
  static final int MAX_SPANS = 10_000;

  /**
   * This node's counts flushed, then the store's buckets of {@code [from, to)} summed into spans
   * of {@code step} (aligned on multiples of it since the epoch); spans with nothing left out.
   *
   * @throws InvalidTaskException for a step that is not a whole number of minutes, a range
   *     whose from is not before its to, or more than {@link #MAX_SPANS} spans
   */
  List<HistoryBucket> read(String queue, Instant from, Instant to, Duration step) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(step, "step");
    long stepMs = step.toMillis();
    if (step.isNegative() || stepMs < MINUTE_MS || stepMs % MINUTE_MS != 0) {
      throw new InvalidTaskException("step must be a whole number of minutes (at least 1m),"
          + " was " + DurationText.format(step));
    }
    TaskHistory.checkRange(from, to);
    if ((to.toEpochMilli() - from.toEpochMilli()) / stepMs > MAX_SPANS) {
      throw new InvalidTaskException("from " + from + " to " + to + " is more than " + MAX_SPANS
          + " steps of " + DurationText.format(step) + "; take a longer step");
    }
    flushQuietly();
    Map<Key, HistoryBucket> spans = new LinkedHashMap<>();
    for (HistoryBucket b : history.read(queue, from, to)) {
      long span = Math.floorDiv(b.start().toEpochMilli(), stepMs) * stepMs;
      Instant start = Instant.ofEpochMilli(span);
      spans.merge(new Key(b.queue(), span),
          new HistoryBucket(b.queue(), start, b.succeeded(), b.failed(), b.started(),
              b.waitMillis(), b.waitMaxMillis(), b.ran(), b.runMillis(), b.runMaxMillis()),
          HistoryBucket::plus);
    }
    return List.copyOf(spans.values());
  }

  void start() {
    if (history == null) {
      return;
    }
    flushAt(clock.instant().plus(FLUSH));
  }

  private void flushAt(Instant due) {
    timers.schedule(due, () -> Thread.ofVirtual().name("errand-history").start(() -> {
      flushQuietly();
      // From now, not from when it was due: a clock moved on by hours (a manual one) must
      // not leave a run of past-due flushes behind it.
      flushAt(clock.instant().plus(FLUSH));
    }));
  }

  /** Flushes, logging (not throwing) a store that fails: the counts stay for the next try. */
  void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("adding the queues' history to the store failed; it is tried again in {}",
          FLUSH, e);
    }
  }

  /** Adds what was counted to the store, and removes buckets older than {@link TaskHistory#KEPT}. */
  void flush() {
    if (history == null) {
      return;
    }
    flushing.lock();
    try {
      long nowMinute = clock.millis() / MINUTE_MS;
      List<HistoryBucket> deltas = new ArrayList<>(unsent);
      for (Iterator<Map.Entry<Key, Cell>> it = cells.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Key, Cell> e = it.next();
        Cell c = e.getValue();
        HistoryBucket b = new HistoryBucket(e.getKey().queue(),
            Instant.ofEpochMilli(e.getKey().minute() * MINUTE_MS), c.succeeded.getAndSet(0),
            c.failed.getAndSet(0), c.started.getAndSet(0), c.waitMillis.getAndSet(0),
            c.waitMax.getAndSet(0), c.ran.getAndSet(0), c.runMillis.getAndSet(0),
            c.runMax.getAndSet(0));
        if (!b.isEmpty()) {
          deltas.add(b);
        }
        if (e.getKey().minute() < nowMinute - 1) {
          it.remove();
        }
      }
      if (!deltas.isEmpty()) {
        try {
          history.add(deltas);
          unsent = List.of();
        } catch (RuntimeException e) {
          // Kept for the next flush (the newest, if a long outage made too many), so a store
          // that is down for a while loses none of the counts it can still take.
          unsent = deltas.size() <= MAX_UNSENT ? deltas
              : List.copyOf(deltas.subList(deltas.size() - MAX_UNSENT, deltas.size()));
          throw e;
        }
      }
      if (nowMinute != prunedMinute) {
        history.prune(Instant.ofEpochMilli(nowMinute * MINUTE_MS).minus(TaskHistory.KEPT));
        prunedMinute = nowMinute;
      }
    } finally {
      flushing.unlock();
    }
  }
}
