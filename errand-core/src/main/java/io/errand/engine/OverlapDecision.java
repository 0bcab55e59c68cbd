package io.errand.engine;

import io.errand.api.OverlapPolicy;

/**
 * What to do with an occurrence that is to fire, given the schedule's {@link OverlapPolicy} and
 * the state of its earlier runs: a pure decision, applied by the schedule runner.
 */
enum OverlapDecision {
  /** Submit the occurrence's task now. */
  SUBMIT,
  /** Hold the occurrence; submit it when the live run has ended. */
  HOLD_UNTIL_PREVIOUS_ENDS,
  /** Cancel the live run; hold the occurrence and submit it when that run has ended. */
  CANCEL_PREVIOUS_THEN_HOLD,
  /** Do not run the occurrence; record it as skipped. */
  SKIP;

  /** The state of a schedule's earlier runs when an occurrence is to fire. */
  enum Previous {
    /** No earlier run is waiting or running. */
    NONE_LIVE,
    /** An earlier run is waiting or running, and no occurrence is held behind it. */
    LIVE,
    /** An earlier run is live and one occurrence is already held behind it. */
    LIVE_WITH_ONE_HELD
  }

  /** The decision for {@code policy} when the earlier runs are in state {@code previous}. */
  static OverlapDecision decide(OverlapPolicy policy, Previous previous) {
    if (previous == Previous.NONE_LIVE) {
      return SUBMIT;
    }
    return switch (policy) {
      case ALLOW -> SUBMIT;
      case SKIP -> SKIP;
      case QUEUE_ONE -> previous == Previous.LIVE ? HOLD_UNTIL_PREVIOUS_ENDS : SKIP;
      // The newest occurrence wins: it replaces one already held, which is skipped by the caller.
      case CANCEL_PREVIOUS -> CANCEL_PREVIOUS_THEN_HOLD;
    };
  }
}
