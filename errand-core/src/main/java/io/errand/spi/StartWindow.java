package io.errand.spi;

import io.errand.api.RateLimit;
import java.util.ArrayDeque;

/**
 * The starts of one rate limit's last window, for stores that count starts in their own
 * process (memory, SQLite): a sliding window log, exact: a start is allowed when fewer than
 * {@link RateLimit#starts()} starts happened in the {@link RateLimit#period()} before it. Keeps
 * at most {@code starts} times. Not thread-safe: its store guards it.
 */
public final class StartWindow {
  private final int starts;
  private final long periodMicros;
  private final ArrayDeque<Long> times = new ArrayDeque<>();

  /** An empty window for {@code limit}. */
  public StartWindow(RateLimit limit) {
    this.starts = limit.starts();
    this.periodMicros = Math.max(1, limit.period().toNanos() / 1000);
  }

  /** Whether a start at {@code nowMicros} is allowed. */
  public boolean open(long nowMicros) {
    evict(nowMicros);
    return times.size() < starts;
  }

  /** Records a start at {@code nowMicros}. */
  public void started(long nowMicros) {
    times.addLast(nowMicros);
    while (times.size() > starts) {
      times.pollFirst();
    }
  }

  /**
   * Epoch micros from which a start is allowed again: {@code nowMicros} when it is now, else
   * when the oldest start of the window leaves it.
   */
  public long nextOpenMicros(long nowMicros) {
    return open(nowMicros) ? nowMicros : times.peekFirst() + periodMicros;
  }

  /** Whether no start is in the window at {@code nowMicros} (it may be forgotten). */
  public boolean empty(long nowMicros) {
    evict(nowMicros);
    return times.isEmpty();
  }

  private void evict(long nowMicros) {
    Long first;
    while ((first = times.peekFirst()) != null && first <= nowMicros - periodMicros) {
      times.pollFirst();
    }
  }

  /**
   * A wait until the next slot as hold reasons write it, in the one duration text: whole
   * seconds (rounded up) from a second on, else milliseconds ("12s", "1m", "250ms").
   */
  public static String waitText(long micros) {
    long ms = Math.max(1, (Math.max(0, micros) + 999) / 1000);
    return io.errand.api.DurationText.format(ms >= 1000
        ? java.time.Duration.ofSeconds((ms + 999) / 1000) : java.time.Duration.ofMillis(ms));
  }
}
