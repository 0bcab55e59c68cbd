package io.errand.memory;

import io.errand.api.ScheduleState;
import io.errand.spi.StoredSchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The choice of {@link io.errand.spi.ScheduleStore#due} made over schedules in the heap. */
final class DueSchedules {
  private DueSchedules() {}

  /** Refuses a limit below 1, naming it. */
  static void checkLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }

  /**
   * Of {@code all}, the active ones due at {@code now} (earliest first), then the active ones
   * holding an occurrence, at most {@code limit}.
   */
  static List<StoredSchedule> select(Iterable<StoredSchedule> all, Instant now, int limit) {
    List<StoredSchedule> due = new ArrayList<>();
    List<StoredSchedule> holding = new ArrayList<>();
    for (StoredSchedule s : all) {
      if (s.state() != ScheduleState.ACTIVE) {
        continue;
      }
      if (s.nextDue() != null && !s.nextDue().isAfter(now)) {
        due.add(s);
      } else if (s.held() != null) {
        holding.add(s);
      }
    }
    due.sort(Comparator.comparing(StoredSchedule::nextDue));
    due.addAll(holding);
    return due.size() <= limit ? due : List.copyOf(due.subList(0, limit));
  }
}
