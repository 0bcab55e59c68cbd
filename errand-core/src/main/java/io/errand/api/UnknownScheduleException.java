package io.errand.api;

/** A schedule was named that this Errand's store does not have. */
public final class UnknownScheduleException extends ErrandException {
  private static final long serialVersionUID = 1L;
  private final String schedule;

  /** There is no schedule named {@code schedule}. */
  public UnknownScheduleException(String schedule) {
    super("unknown_schedule", "no schedule named '" + schedule + "'; list them with"
        + " schedules().list(), or create it first");
    this.schedule = schedule;
  }

  /** The name that was asked for. */
  public String schedule() {
    return schedule;
  }
}
