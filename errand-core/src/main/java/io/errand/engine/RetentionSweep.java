package io.errand.engine;

import io.errand.api.QueueSpec;
import io.errand.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a queue's tasks that finished more than its retention ago, in bounded batches, every
 * tenth of the retention (between 1 s and 1 min of clock time). Runs on its own virtual thread
 * so a large sweep never delays a time-out.
 */
final class RetentionSweep {
  private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
  static final int BATCH = 1_000;
  private static final int MAX_BATCHES_PER_SWEEP = 1_000;

  private final QueueSpec<?, ?> spec;
  private final TaskStore store;
  private final InstantSource clock;
  private final Timers timers;
  private final Duration interval;

  RetentionSweep(QueueSpec<?, ?> spec, TaskStore store, InstantSource clock, Timers timers) {
    this.spec = spec;
    this.store = store;
    this.clock = clock;
    this.timers = timers;
    Duration tenth = spec.retention().dividedBy(10);
    Duration min = Duration.ofSeconds(1);
    Duration max = Duration.ofMinutes(1);
    this.interval = tenth.compareTo(min) < 0 ? min : tenth.compareTo(max) > 0 ? max : tenth;
  }

  void start() {
    sweepAt(clock.instant().plus(interval));
  }

  private void sweepAt(Instant due) {
    timers.schedule(due, () -> Thread.ofVirtual().name("errand-retention-" + spec.name())
        .start(this::sweep));
  }

  private void sweep() {
    Instant began = clock.instant();
    try {
      var cutoff = began.minus(spec.retention());
      int batches = 0;
      while (store.tasks().purge(spec.name(), cutoff, BATCH) == BATCH && ++batches < MAX_BATCHES_PER_SWEEP) {
        Thread.yield();
      }
    } catch (RuntimeException e) {
      log.warn("retention sweep of queue '{}' failed; it will try again in {}", spec.name(),
          interval, e);
    }
    // An interval after this sweep began, not after it ended: had the clock moved on meanwhile
    // (a long sweep, a manual clock advanced), what it now puts past the retention would wait
    // a whole interval more, or, with a manual clock that moves no further, for ever.
    sweepAt(began.plus(interval));
  }
}
