package io.errand.postgres;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this node knows of each queue's delayed tasks, so that a claim marks due tasks ready
 * ({@link Attempts#PROMOTE}) only when one may have become due: when the last marking said the
 * next delayed task comes at T, claims before T skip the marking statement, until a signal
 * about the queue ({@link #changed}: an insert, retry, requeue or rescue here, a NOTIFY from
 * another node, the sweep) says its tasks changed. Every task that becomes WAITING comes with
 * such a signal, so what is known is never older than the last change.
 *
 * <p>Each queue counts its changes (an epoch): a marking answers what it read at the epoch
 * read before it, and its answer is used only while no change came since.
 */
final class DueMarks {
  private record Known(long epoch, Instant next) {}

  private final Map<String, AtomicLong> epochs = new ConcurrentHashMap<>();
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  /** The change count of {@code queue}, read before a marking. */
  long epoch(String queue) {
    return epochs.computeIfAbsent(queue, q -> new AtomicLong()).get();
  }

  /** Whether a claim of {@code queue} at {@code now} must mark first. */
  boolean markingNeeded(String queue, long epoch, Instant now) {
    Known k = known.get(queue);
    return k == null || k.epoch() != epoch || (k.next() != null && !now.isBefore(k.next()));
  }

  /** A marking read at {@code epoch} found the next delayed task due at {@code next} (or none). */
  void marked(String queue, long epoch, Instant next) {
    known.put(queue, new Known(epoch, next));
  }

  /** The tasks of {@code queue} changed: the next claim marks. */
  void changed(String queue) {
    epochs.computeIfAbsent(queue, q -> new AtomicLong()).incrementAndGet();
  }

  /** Anything may have changed (notifications were missed): every next claim marks. */
  void changedAll() {
    epochs.values().forEach(AtomicLong::incrementAndGet);
  }
}
