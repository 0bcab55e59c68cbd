package io.errand.memory;

import io.errand.api.HistoryBucket;
import io.errand.spi.TaskHistory;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory store's history: a map of buckets by queue and minute, each add merged into its
 * bucket atomically. Bounded like the SQL stores' tables by the engine's pruning.
 */
final class MemoryHistory implements TaskHistory {
  private record Key(String queue, Instant start) {}

  private final Map<Key, HistoryBucket> buckets = new ConcurrentHashMap<>();

  @Override
  public void add(List<HistoryBucket> deltas) {
    deltas.forEach(TaskHistory::checkStart);
    for (HistoryBucket d : deltas) {
      buckets.merge(new Key(d.queue(), d.start()), d, HistoryBucket::plus);
    }
  }

  @Override
  public List<HistoryBucket> read(String queue, Instant from, Instant to) {
    TaskHistory.checkRange(from, to);
    return buckets.values().stream()
        .filter(b -> (queue == null || queue.equals(b.queue())) && !b.start().isBefore(from)
            && b.start().isBefore(to))
        .sorted(Comparator.comparing(HistoryBucket::queue).thenComparing(HistoryBucket::start))
        .toList();
  }

  @Override
  public int prune(Instant before) {
    int removed = 0;
    for (var it = buckets.keySet().iterator(); it.hasNext(); ) {
      if (it.next().start().isBefore(before)) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }
}
