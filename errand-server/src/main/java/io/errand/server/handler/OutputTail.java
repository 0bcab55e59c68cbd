package io.errand.server.handler;

import java.util.ArrayDeque;

/**
 * The last lines of a program's output, bounded in lines and characters, so that a program that
 * prints gigabytes costs a few kilobytes. Thread-safe: a pump thread adds, the handler reads.
 */
final class OutputTail {
  private final int maxLines;
  private final int maxChars;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private long chars; // of the lines kept, each counted with its newline

  OutputTail(int maxLines, int maxChars) {
    this.maxLines = maxLines;
    this.maxChars = maxChars;
  }

  /** Adds a line (without its line break), dropping the oldest ones beyond the bounds. */
  synchronized void add(String line) {
    String l = line.length() > maxChars ? line.substring(line.length() - maxChars) : line;
    lines.addLast(l);
    chars += l.length() + 1;
    // The text has one newline fewer than the lines, hence chars - 1.
    while (lines.size() > maxLines || chars - 1 > maxChars) {
      chars -= lines.removeFirst().length() + 1;
    }
  }

  /** The lines kept, joined by newlines. */
  synchronized String text() {
    return String.join("\n", lines);
  }

  /** Whether no line was added (or kept). */
  synchronized boolean isEmpty() {
    return lines.isEmpty();
  }
}
