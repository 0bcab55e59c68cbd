package io.errand.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What a schedule does with occurrences that came due while nothing could fire them (every
 * node down, or the schedule paused): {@link #skip()}, {@link #runOnce()} or
 * {@link #catchUp(Duration)}. An occurrence noticed less than {@link #ON_TIME} after it was due
 * is on time, not missed, and fires under every policy. Whatever is not fired is recorded as
 * skipped, never dropped silently. See {@code docs/schedules.md}.
 */
public sealed interface MissedRunPolicy
    permits MissedRunPolicy.Skip, MissedRunPolicy.RunOnce, MissedRunPolicy.CatchUp {

  /** How late an occurrence may be noticed and still count as on time: one minute. */
  Duration ON_TIME = Duration.ofMinutes(1);

  /** Missed occurrences are skipped; the schedule goes on with the next future one. */
  static MissedRunPolicy skip() {
    return new Skip();
  }

  /** All missed occurrences together yield one run, for the newest of them (the default). */
  static MissedRunPolicy runOnce() {
    return new RunOnce();
  }

  /**
   * Every missed occurrence due within {@code window} before now runs, oldest first; older
   * ones are skipped.
   *
   * @throws InvalidSpecException if the window is not positive or is over 100 years
   */
  static MissedRunPolicy catchUp(Duration window) {
    return new CatchUp(window);
  }

  /**
   * Reads {@code skip}, {@code run_once} or {@code catch_up <window>} (e.g. {@code catch_up 6h};
   * the window written like an interval: 30s, 15m, 1h30m, 1d, PT6H).
   *
   * @throws InvalidScheduleException naming the text and the accepted forms
   */
  static MissedRunPolicy parse(String text) {
    String t = Objects.requireNonNull(text, "text").strip();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("skip")) {
      return skip();
    }
    if (lower.equals("run_once")) {
      return runOnce();
    }
    if (lower.startsWith("catch_up ")) {
      String window = t.substring("catch_up ".length()).strip();
      return catchUp(IntervalText.period(window, "catch_up window", 0));
    }
    throw new InvalidScheduleException(
        "missed-run policy '" + text + "' is not one of: skip, run_once, catch_up <window> (such as"
            + " catch_up 6h)",
        "missed",
        text,
        0);
  }

  /** The policy as {@link #parse(String)} reads it back. */
  String text();

  /** Skip every missed occurrence. */
  record Skip() implements MissedRunPolicy {
    @Override
    public String text() {
      return "skip";
    }
  }

  /** One run stands for all missed occurrences: the newest fires, the others are skipped. */
  record RunOnce() implements MissedRunPolicy {
    @Override
    public String text() {
      return "run_once";
    }
  }

  /**
   * Run each missed occurrence due within the window before now, oldest first.
   *
   * @param window how far back missed occurrences still run
   */
  record CatchUp(Duration window) implements MissedRunPolicy {
    /**
     * Checks the window.
     *
     * @throws InvalidSpecException if the window is not positive or is over 100 years
     */
    public CatchUp {
      Objects.requireNonNull(window, "window");
      InvalidSpecException.require(
          window.isPositive() && InvalidSpecException.notTooLong(window),
          "catch_up window",
          window,
          "positive and " + InvalidSpecException.AT_MOST_LONGEST);
    }

    @Override
    public String text() {
      return "catch_up " + IntervalText.format(window);
    }
  }
}
