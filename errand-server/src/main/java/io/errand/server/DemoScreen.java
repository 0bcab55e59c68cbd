package io.errand.server;

import io.errand.api.Errand;
import io.errand.api.QueueMetrics;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the demo: on a terminal, a table redrawn in place (overall bar + one bar per running
 * task); elsewhere (a pipe, CI), one plain line per second.
 */
final class DemoScreen {
  private static final int BAR = 30;
  private final PrintStream out;
  private final boolean live;
  private int linesDrawn;
  private long lastPlainLine;

  DemoScreen(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  void intro(int tasks, int workers, Duration timeout) {
    out.printf("Errand demo: %d tasks on queue '%s' with %d workers (3 attempts, time-out %s)%n",
        tasks, Demo.QUEUE, workers, ms(timeout));
    out.println("One task fails once and is retried, one is cancelled while running, one hangs"
        + " until its time-out.");
    out.println();
  }

  void note(String line) {
    erase();
    out.println(line);
  }

  void frame(Errand errand, List<Long> ids) {
    List<TaskInfo> all = new ArrayList<>(ids.size());
    ids.forEach(id -> errand.get(id).ifPresent(all::add));
    long done = all.stream().filter(TaskInfo::isFinished).count();
    QueueMetrics m = errand.metrics(Demo.QUEUE);
    String head = String.format("%s %3d/%d finished | running %d | waiting %d | ok %d, failed %d,"
            + " cancelled %d, retried %d", bar((double) done / all.size()), done, all.size(),
        m.running(), m.waiting(), m.succeeded(), m.failed(), m.cancelled(), m.retried());
    if (!live) {
      long now = System.nanoTime();
      if (now - lastPlainLine >= 1_000_000_000L) {
        out.println(head);
        lastPlainLine = now;
      }
      return;
    }
    erase();
    List<String> lines = new ArrayList<>();
    lines.add(head);
    all.stream().filter(t -> t.status() == TaskStatus.RUNNING)
        .forEach(t -> lines.add(String.format("  task %4d %s %-12s attempt %d", t.id(),
            bar(t.fraction()), t.message(), t.attempt())));
    lines.forEach(out::println);
    linesDrawn = lines.size();
    out.flush();
  }

  void summary(Demo.Summary s) {
    erase();
    QueueMetrics m = s.metrics();
    out.println();
    out.printf("Finished: %d SUCCESS, %d FAILURE, %d CANCELLED (%d retries, %d abandoned)%n",
        s.count(TaskStatus.SUCCESS), s.count(TaskStatus.FAILURE), s.count(TaskStatus.CANCELLED),
        m.retried(), m.abandoned());
    out.printf("Run time  p50 %s  p95 %s  p99 %s%n", ms(m.runTime().p50()),
        ms(m.runTime().p95()), ms(m.runTime().p99()));
    out.printf("Wait time p50 %s  p95 %s  p99 %s%n", ms(m.waitTime().p50()),
        ms(m.waitTime().p95()), ms(m.waitTime().p99()));
    out.printf("Success rate %.1f%%, throughput %.1f tasks/s%n", 100 * m.successRate(),
        m.throughput());
    out.println();
    describe("retried", s.flaky());
    describe("cancelled", s.cancelled());
    describe("timed out", s.hung());
    out.println(s.asExpected() ? "Everything happened as expected."
        : "Something did not go as the demo expects: see above.");
  }

  private void describe(String what, TaskInfo t) {
    out.printf("  %-9s task %d: %s after %d attempt(s) — %s%n", what, t.id(), t.status(),
        t.attempt(), t.status() == TaskStatus.SUCCESS ? t.response()
            : t.message() + errorsOf(t));
  }

  private static String errorsOf(TaskInfo t) {
    return t.errors().isEmpty() ? "" : " " + t.errors().stream().map(e -> e.type()).toList();
  }

  private void erase() {
    if (live && linesDrawn > 0) {
      out.print("\u001b[" + linesDrawn + "F\u001b[J");
      linesDrawn = 0;
    }
  }

  private static String bar(double fraction) {
    int full = (int) Math.round(fraction * BAR);
    return "[" + "#".repeat(full) + "-".repeat(BAR - full) + "]";
  }

  private static String ms(Duration d) {
    return d.toMillis() + "ms";
  }
}
