package io.errand.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What to do with a schedule's due occurrences at one moment: which to fire (oldest first),
 * which were skipped (a contiguous run of occurrences, recorded as one decision), and the
 * occurrence the schedule waits for next.
 *
 * @param fire the occurrences to submit a task for, oldest first
 * @param skipped the occurrences decided against, if any
 * @param nextDue the first occurrence not yet decided, or null when the schedule has no more;
 *     it may still be due when a long backlog is decided in several plans
 */
record FiringPlan(List<Instant> fire, Optional<Skipped> skipped, Instant nextDue) {

  FiringPlan {
    fire = List.copyOf(fire);
  }

  /**
   * A run of consecutive occurrences that were not fired.
   *
   * @param first the oldest of them
   * @param last the newest of them
   * @param count how many there were
   */
  record Skipped(Instant first, Instant last, long count) {}
}
