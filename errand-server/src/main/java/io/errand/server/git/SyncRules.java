package io.errand.server.git;

import io.errand.api.NonRetryableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Seed 000's four rules, as one pure decision (no files, no git), so each rule can be read in
 * one place:
 *
 * <ol>
 *   <li>no directory: clone;
 *   <li>{@code force_clean}: clone afresh and replace the directory (when there is one);
 *   <li>{@code sync=true}: pull;
 *   <li>{@code sync=false}: pull only if the last update is older than {@code stale_after}
 *       (or unknown, or the checkout is on another branch than the one asked for), otherwise
 *       do nothing and say why.
 * </ol>
 *
 * A directory that exists but is not a git checkout is refused unless {@code force_clean}
 * is set: git-sync never deletes a directory it did not make on its own initiative.
 */
final class SyncRules {
  /** What to do; {@link #word} is the result's {@code action}. */
  enum Action {
    CLONE("cloned"), RECLONE("recloned"), PULL("pulled"), SKIP("skipped");

    final String word;

    Action(String word) {
      this.word = word;
    }
  }

  /**
   * A decision.
   *
   * @param action what to do
   * @param reason why, in words for the task's result
   */
  record Decision(Action action, String reason) {}

  /**
   * What the target directory looks like now.
   *
   * @param exists     whether the directory exists
   * @param checkout   whether it has a {@code .git} directory
   * @param lastUpdate when git-sync last updated it, if known
   * @param branch     the branch it has checked out, if any
   */
  record Target(boolean exists, boolean checkout, Optional<Instant> lastUpdate,
      Optional<String> branch) {}

  private SyncRules() {}

  /**
   * The rule that applies.
   *
   * @param dir        the dir arg, for the refusal message
   * @param wanted     the branch asked for, or empty for the remote's default
   * @param staleAfter how old an update may be before {@code sync=false} pulls anyway
   * @throws NonRetryableException if the directory exists, is not a checkout, and
   *     {@code forceClean} is off
   */
  static Decision decide(String dir, Target t, boolean sync, boolean forceClean,
      Optional<String> wanted, Instant now, Duration staleAfter) {
    if (!t.exists()) {
      return new Decision(Action.CLONE, "no directory yet");
    }
    if (forceClean) {
      return new Decision(Action.RECLONE, "force_clean is set");
    }
    if (!t.checkout()) {
      throw new NonRetryableException("dir '" + dir + "' exists but is not a git checkout:"
          + " remove it, choose another dir, or run with force_clean to replace it");
    }
    if (sync) {
      return new Decision(Action.PULL, "sync is true");
    }
    if (wanted.isPresent() && !wanted.equals(t.branch())) {
      return new Decision(Action.PULL, "branch " + wanted.get() + " asked for, checkout is on "
          + t.branch().orElse("no branch"));
    }
    if (t.lastUpdate().isEmpty()) {
      return new Decision(Action.PULL, "no record of the last update");
    }
    Duration age = Duration.between(t.lastUpdate().get(), now);
    String when = "updated " + (age.isNegative() ? "0 s" : GitErrors.human(age)) + " ago";
    if (age.compareTo(staleAfter) >= 0) {
      return new Decision(Action.PULL, when + "; stale after " + GitErrors.human(staleAfter));
    }
    return new Decision(Action.SKIP, when + "; stale after " + GitErrors.human(staleAfter));
  }
}
