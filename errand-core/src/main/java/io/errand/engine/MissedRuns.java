package io.errand.engine;

import io.errand.api.MissedRunPolicy;
import io.errand.api.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, as a pure function of the schedule, the first undecided occurrence and the time,
 * which due occurrences fire and which are skipped under the schedule's
 * {@link MissedRunPolicy}. The newest due occurrence is on time when it is noticed within
 * {@link MissedRunPolicy#ON_TIME}; every other due occurrence was missed.
 *
 * <p>A long backlog (a per-second schedule after a day down) is decided in steps of at most
 * {@link #MOST_PER_PLAN} occurrences, so one decision never walks an unbounded range; the plan's
 * {@code nextDue} is then still due and the caller asks again.
 */
final class MissedRuns {
  /** The most occurrences one plan decides. */
  static final int MOST_PER_PLAN = 10_000;

  private MissedRuns() {}

  /**
   * The plan for {@code schedule} whose first undecided occurrence is {@code nextDue}, at
   * {@code now}. Nothing is due when {@code nextDue} is after {@code now}.
   */
  static FiringPlan plan(Schedule schedule, Instant nextDue, Instant now) {
    List<Instant> due = new ArrayList<>();
    Instant at = nextDue;
    while (at != null && !at.isAfter(now) && due.size() < MOST_PER_PLAN) {
      due.add(at);
      at = schedule.next(at).orElse(null);
    }
    if (due.isEmpty()) {
      return new FiringPlan(List.of(), Optional.empty(), nextDue);
    }
    boolean backlogDone = at == null || at.isAfter(now);
    Instant newest = due.get(due.size() - 1);
    boolean onTime =
        backlogDone && Duration.between(newest, now).compareTo(MissedRunPolicy.ON_TIME) <= 0;
    List<Instant> missed = onTime ? due.subList(0, due.size() - 1) : due;
    List<Instant> fire = new ArrayList<>();
    int skippedCount =
        switch (schedule.missed()) {
          case MissedRunPolicy.Skip s -> missed.size();
          case MissedRunPolicy.RunOnce r -> {
            if (onTime || !backlogDone || missed.isEmpty()) {
              // An on-time run stands for the missed ones; a backlog's run comes with its end.
              yield missed.size();
            }
            fire.add(missed.get(missed.size() - 1));
            yield missed.size() - 1;
          }
          case MissedRunPolicy.CatchUp c -> {
            Instant oldestKept = now.minus(c.window());
            int firstKept = 0;
            while (firstKept < missed.size() && missed.get(firstKept).isBefore(oldestKept)) {
              firstKept++;
            }
            fire.addAll(missed.subList(firstKept, missed.size()));
            yield firstKept;
          }
        };
    if (onTime) {
      fire.add(newest);
    }
    Optional<FiringPlan.Skipped> skipped =
        skippedCount == 0
            ? Optional.empty()
            : Optional.of(
                new FiringPlan.Skipped(due.get(0), due.get(skippedCount - 1), skippedCount));
    return new FiringPlan(fire, skipped, at);
  }
}
