package io.errand.engine;

import io.errand.api.InvalidTaskException;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.spi.NewTask;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Builds the task of a schedule's occurrence: its queue's limits and id generator, the args of
 * the occurrence, the key that names the occurrence, and the start delayed by the occurrence's
 * share of the jitter.
 */
final class ScheduleTasks {
  private final Function<String, QueueSpec<?, ?>> queues;

  ScheduleTasks(Function<String, QueueSpec<?, ?>> queues) {
    this.queues = queues;
  }

  /** The unique key of the task of {@code schedule}'s occurrence {@code occurrence}. */
  static String key(String schedule, Instant occurrence) {
    return "schedule:" + schedule + "@" + occurrence;
  }

  /**
   * The delay of occurrence {@code occurrence} within {@code jitter}: derived from the schedule's
   * name and the occurrence, so every node computes the same one, spread evenly over
   * [0, jitter).
   */
  static Duration jitter(String schedule, Instant occurrence, Duration jitter) {
    long span = jitter.toNanos();
    if (span <= 0) {
      return Duration.ZERO;
    }
    long h = (schedule.hashCode() * 0x9E3779B97F4A7C15L)
        ^ occurrence.getEpochSecond() * 0xC2B2AE3D27D4EB4FL
        ^ occurrence.getNano();
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return Duration.ofNanos(Math.floorMod(h, span));
  }

  /**
   * The task for {@code occurrence} of {@code schedule}, created at {@code now}.
   *
   * @throws io.errand.api.UnknownQueueException if its queue is gone
   * @throws InvalidTaskException if its args do not fit the queue, or its queue's id generator
   *     gives a bad id
   */
  NewTask task(Schedule schedule, Instant occurrence, Instant now, String key) {
    QueueSpec<?, ?> spec = queues.apply(schedule.queue());
    Object args = schedule.argsFor(occurrence);
    if (args != null && !spec.argsType().isInstance(args)) {
      throw new InvalidTaskException("schedule '" + schedule.name() + "' built args of type "
          + args.getClass().getName() + ", but queue '" + spec.name() + "' takes "
          + spec.argsType().getName());
    }
    long id = 0;
    if (spec.idGenerator() != null) {
      id = spec.idGenerator().getAsLong();
      if (id <= 0) {
        throw new InvalidTaskException("the id generator of queue '" + spec.name() + "' returned "
            + id + "; task ids must be positive");
      }
    }
    Instant runAt = occurrence.plus(jitter(schedule.name(), occurrence, schedule.jitter()));
    return new NewTask(spec.name(), id, args, now, runAt, 0, key, spec.capacity());
  }
}
