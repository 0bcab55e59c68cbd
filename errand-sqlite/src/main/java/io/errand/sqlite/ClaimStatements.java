package io.errand.sqlite;

import io.errand.spi.Transition;

/**
 * The two statements of a claim ({@link Writes#claim}), run in this order in the writer's
 * transaction: mark ready the tasks that have become due, then take the most urgent ready one.
 * Neither costs the tasks that are not due ({@link Schema}).
 */
final class ClaimStatements {
  /**
   * Marks ready the delayed tasks of a queue that have become due ({@link Schema}): a range of
   * {@code tasks_due}, so it costs the tasks it marks, not the ones still delayed. It may
   * change many rows, but no constraint covers {@code ready}, so {@code OR FAIL} cannot stop
   * it halfway.
   */
  static final String PROMOTE = "UPDATE OR FAIL tasks SET ready = 1 WHERE queue = ? AND status "
      + "= 'WAITING' AND held = 0 AND ready = 0 AND run_at <= ?";
  /**
   * Takes the most urgent due task of a queue, walking the claim index (ready tasks only) in
   * its order; {@link #PROMOTE} runs first, so every due task is ready. {@code run_at <= ?}
   * stays for a clock that went back since a task was marked. The index is named because the
   * other plan SQLite may pick (it does when it sees the values, as the {@code sqlite3} shell
   * does) is a range on {@code tasks_due} followed by a sort of every due task: a claim then
   * costs the size of the backlog.
   */
  static final String CLAIM = "UPDATE OR FAIL tasks SET status = '" + Transition.CLAIM.to()
      + "', attempt = attempt + 1, started_at = ?, node = ?, cancel_requested = 0, cancel_reason = NULL WHERE id = "
      + "(SELECT id FROM tasks INDEXED BY tasks_claim WHERE queue = ? AND status = '" + Transition.CLAIM.from()
      + "' AND held = 0 AND ready = 1 AND run_at <= ? ORDER BY priority DESC, run_at, id LIMIT 1) "
      + "RETURNING " + Row.CLAIM_COLUMNS;

  private ClaimStatements() {}
}
