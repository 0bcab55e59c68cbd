package io.errand.server.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * Shows successive frames of lines. On a terminal each frame replaces the one before it, in
 * place (cursor up, erase down, draw), with lines cut to the terminal's width so that none
 * wraps and throws off the count of lines to go back over. Elsewhere each frame is appended,
 * followed by a blank line, so a log of the output reads as a series of snapshots.
 */
final class Screen {
  private final PrintWriter out;
  private final Terminal terminal;
  private int drawn;

  Screen(PrintWriter out, Terminal terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Draws {@code lines} as the current frame. */
  void draw(List<String> lines) {
    if (!terminal.interactive()) {
      lines.forEach(out::println);
      out.println();
      out.flush();
      return;
    }
    StringBuilder b = new StringBuilder();
    if (drawn > 0) {
      b.append(Terminal.up(drawn));
    }
    b.append(Terminal.CLEAR_DOWN);
    // The last column stays free: writing into it makes some terminals wrap early.
    int width = Math.max(10, terminal.columns() - 1);
    for (String line : lines) {
      b.append(Format.shorten(line, width)).append('\n');
    }
    out.print(b);
    out.flush();
    drawn = lines.size();
  }

  /** How many lines a frame may have on this terminal without scrolling off its top. */
  int maxLines() {
    return terminal.interactive() ? Math.max(3, terminal.rows() - 1) : Integer.MAX_VALUE;
  }
}
