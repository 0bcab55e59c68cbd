package io.errand.bench;

import io.errand.api.EventListener;
import io.errand.api.EventType;
import io.errand.api.TaskEvent;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An {@link EventListener} that only counts events by type: the cheapest listener that still
 * makes Errand build and deliver every event, so a benchmark with it pays the full cost of
 * event delivery. The counts let a benchmark check afterwards that no event was lost.
 */
public final class CountingListener implements EventListener {
  private final AtomicLongArray counts = new AtomicLongArray(EventType.values().length);

  @Override
  public void onEvent(TaskEvent event) {
    counts.incrementAndGet(event.type().ordinal());
  }

  /** How many events of {@code type} were delivered so far. */
  public long count(EventType type) {
    return counts.get(type.ordinal());
  }

  /** How many events of any type were delivered so far. */
  public long total() {
    long sum = 0;
    for (int i = 0; i < counts.length(); i++) {
      sum += counts.get(i);
    }
    return sum;
  }
}
