package io.errand.api;

/** Whether a schedule fires. */
public enum ScheduleState {
  /** It fires on its occurrences. */
  ACTIVE,
  /**
   * It does not fire; occurrences that come due meanwhile are missed and, on resume, handled by
   * its {@link MissedRunPolicy}.
   */
  PAUSED
}
