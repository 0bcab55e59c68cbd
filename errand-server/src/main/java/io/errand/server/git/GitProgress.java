package io.errand.server.git;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the progress lines git writes to stderr with {@code --progress} into one 0–100 figure.
 *
 * <p>Git reports each phase on its own 0–100% scale ({@code remote: Counting objects}, {@code
 * remote: Compressing objects}, {@code Receiving objects}, {@code Resolving deltas}, {@code
 * Updating files}). A single bar that restarts at 0% for every phase would look like it went
 * backwards, so each phase gets a fixed slice of the overall scale, weighted by how long it
 * usually takes: receiving dominates a clone. The figure never decreases, and an update is given
 * only when the whole percent moves, so a clone of many objects does not flood the task record.
 *
 * <p>Not thread-safe: one instance per git run, fed from the thread that reads stderr.
 */
final class GitProgress {
  /** {@code [remote: ]Phase:  42% (520/1234)...}; anything after the counts is ignored. */
  private static final Pattern LINE = Pattern.compile(
      "^(?:remote: )?([A-Z][a-z]+(?: [a-z]+)*):\\s+(\\d{1,3})% \\((\\d+)/(\\d+)\\)");

  /** A phase's slice of the overall scale: [start, start + width). */
  private enum Phase {
    COUNTING("Counting objects", 0, 5),
    COMPRESSING("Compressing objects", 5, 10),
    RECEIVING("Receiving objects", 15, 65),
    RESOLVING("Resolving deltas", 80, 15),
    CHECKOUT("Updating files", 95, 5);

    final String label;
    final int start;
    final int width;

    Phase(String label, int start, int width) {
      this.label = label;
      this.start = start;
      this.width = width;
    }

    static Optional<Phase> of(String label) {
      if (label.equals("Checking out files")) {
        return Optional.of(CHECKOUT); // older gits' name for the same phase
      }
      for (Phase p : values()) {
        if (p.label.equals(label)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * One step of the overall figure.
   *
   * @param percent 0–100, never lower than the one before
   * @param message the phase and its own counts, e.g. {@code Receiving objects 42% (520/1234)}
   */
  record Update(int percent, String message) {}

  private int percent = -1;

  /** Whether {@code line} is a progress line (so it is not kept for error messages). */
  static boolean isProgress(String line) {
    return LINE.matcher(line).find();
  }

  /**
   * Reads one line (git separates progress updates with {@code \r}, the caller splits on it).
   *
   * @return the new overall figure, or empty when the line is not progress or moves nothing
   */
  Optional<Update> feed(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.find()) {
      return Optional.empty();
    }
    Optional<Phase> phase = Phase.of(m.group(1));
    if (phase.isEmpty()) {
      return Optional.empty(); // e.g. "Enumerating objects" has no percent worth showing
    }
    Phase p = phase.get();
    int own = Math.min(100, Integer.parseInt(m.group(2)));
    int overall = p.start + own * p.width / 100;
    if (overall <= percent) {
      return Optional.empty();
    }
    percent = overall;
    return Optional.of(new Update(overall, p.label + " " + own + "% (" + m.group(3) + "/"
        + m.group(4) + ")"));
  }

  /** The last figure given, or -1 before the first. */
  int percent() {
    return percent;
  }
}
