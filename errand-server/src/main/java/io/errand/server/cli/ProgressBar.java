package io.errand.server.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Text progress bars: {@code [########------------]  40%}, in ASCII so any terminal shows them. */
final class ProgressBar {
  private ProgressBar() {}

  /** A bar of {@code width} cells inside brackets, then the percentage. */
  static String of(double fraction, int width) {
    double f = Math.max(0, Math.min(1, fraction));
    int full = (int) Math.floor(f * width);
    return "[" + "#".repeat(full) + "-".repeat(width - full) + "] "
        + String.format("%3d%%", (int) Math.floor(f * 100));
  }

  /**
   * A task's bar from its {@code current}, {@code total} and {@code status}: a task that has
   * not said how much work there is shows an empty bar and "?" unless it succeeded.
   */
  static String of(JsonNode task, int width) {
    long total = task.path("total").asLong();
    String status = task.path("status").asText();
    if (total <= 0) {
      return status.equals("SUCCESS") ? of(1, width) : "[" + "-".repeat(width) + "]    ?";
    }
    return of((double) task.path("current").asLong() / total, width);
  }
}
