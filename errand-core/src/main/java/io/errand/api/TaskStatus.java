package io.errand.api;

/**
 * The five states of a task. These names are the wire format of every interface (HTTP, CLI,
 * stores), so they never change.
 *
 * <pre>
 *   WAITING ──claim──▶ RUNNING ──▶ SUCCESS | FAILURE | CANCELLED
 *      ▲                  │
 *      └──── retry ───────┘        WAITING ──cancel──▶ CANCELLED
 * </pre>
 *
 * <p>The allowed transitions are exactly those of {@link #canMoveTo(TaskStatus)}.
 */
public enum TaskStatus {
  /** Accepted and waiting for a worker (possibly until its {@code runAt}). */
  WAITING,
  /** A worker runs its handler now. */
  RUNNING,
  /** The handler returned a result. Terminal. */
  SUCCESS,
  /** The last attempt failed (error, time-out) and no attempt is left. Terminal. */
  FAILURE,
  /** Cancelled before or while running. Terminal. */
  CANCELLED;

  /** Whether no transition leaves this status. */
  public boolean isTerminal() {
    return this == SUCCESS || this == FAILURE || this == CANCELLED;
  }

  /** Whether a task may still run or is running. */
  public boolean isLive() {
    return !isTerminal();
  }

  /**
   * The transition table, written down once. {@code WAITING → RUNNING | CANCELLED};
   * {@code RUNNING → WAITING} (a retry, or a requeue at shutdown) {@code | SUCCESS | FAILURE |
   * CANCELLED}; nothing leaves a terminal status.
   */
  public boolean canMoveTo(TaskStatus next) {
    return switch (this) {
      case WAITING -> next == RUNNING || next == CANCELLED;
      case RUNNING -> next == WAITING || next.isTerminal();
      case SUCCESS, FAILURE, CANCELLED -> false;
    };
  }
}
