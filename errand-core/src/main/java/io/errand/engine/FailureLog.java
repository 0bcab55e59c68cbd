package io.errand.engine;

import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARN lines about work that ended badly: a task failed for good, a task's handler was
 * abandoned, a supervised key went FAILED. Each line carries the task's MDC ({@link TaskMdc}).
 *
 * <p>A failing flood cannot flood the log: per queue (or supervisor), at most
 * {@value #LINES_PER_WINDOW} lines are written one by one in a window of one minute that opens
 * with its first line; the others are counted, and when the window closes one more line says
 * how many there were ("... and 312 more failures of queue 'mail' in the last minute"). The
 * window runs on the engine's clock, so a {@code ManualClock} drives it. A shutdown writes the
 * summaries still due ({@link #flush()}).
 */
final class FailureLog {
  static final int LINES_PER_WINDOW = 5;
  static final Duration WINDOW = Duration.ofMinutes(1);

  private final Logger log;
  private final InstantSource clock;
  private final BiConsumer<Instant, Runnable> scheduler;
  private final Map<String, Window> windows = new HashMap<>(); // guarded by itself

  /** One source's current window. Guarded by {@code windows}. */
  private static final class Window {
    final Instant end;
    int logged;
    long unlogged;
    boolean summaryDue;
    boolean closed;

    Window(Instant end) {
      this.end = end;
    }
  }

  /**
   * @param scheduler runs an action once the clock reaches a time (the engine's timers)
   */
  FailureLog(Logger log, InstantSource clock, BiConsumer<Instant, Runnable> scheduler) {
    this.log = log;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  FailureLog(InstantSource clock, BiConsumer<Instant, Runnable> scheduler) {
    this(LoggerFactory.getLogger(FailureLog.class), clock, scheduler);
  }

  /** A task ended FAILURE: its attempts are spent or its error was not retryable. */
  void taskFailed(TaskInfo t) {
    if (allowed("queue '" + t.queue() + "'")) {
      try (TaskMdc mdc = TaskMdc.open(t.id(), t.queue(), t.attempt(), t.key())) {
        log.warn("task {} of queue '{}' failed for good after {} attempt{}: {}", t.id(),
            t.queue(), t.attempt(), t.attempt() == 1 ? "" : "s",
            t.lastError().map(TaskError::toString).orElse("no error recorded"));
      }
    }
  }

  /** A task's handler did not stop within its cancel grace and was abandoned. */
  void taskAbandoned(long id, String queue, int attempt, String key, String why,
      String stopReason) {
    if (allowed("queue '" + queue + "'")) {
      try (TaskMdc mdc = TaskMdc.open(id, queue, attempt, key)) {
        log.warn("task {} of queue '{}' {} after it was asked to stop ({}); it is abandoned and "
            + "its worker replaced", id, queue, why, stopReason);
      }
    }
  }

  /** A supervised key went FAILED: it stays down until it is put again. */
  void keyFailed(String supervisor, String key, long instance, int attempt, TaskError lastError,
      String why) {
    if (allowed("supervisor '" + supervisor + "'")) {
      try (TaskMdc mdc = TaskMdc.open(instance, supervisor, attempt, key)) {
        log.warn("key '{}' of supervisor '{}' FAILED ({}); last error: {}", key, supervisor, why,
            lastError == null ? "none" : lastError.toString());
      }
    }
  }

  /** Counts a line of {@code source}; true if it may be written now. */
  private boolean allowed(String source) {
    Instant now = clock.instant();
    Window w;
    boolean allowed;
    boolean scheduleSummary = false;
    synchronized (windows) {
      w = windows.get(source);
      if (w == null || w.closed || !now.isBefore(w.end)) {
        w = new Window(now.plus(WINDOW));
        windows.put(source, w);
      }
      allowed = w.logged < LINES_PER_WINDOW;
      if (allowed) {
        w.logged++;
      } else {
        w.unlogged++;
        scheduleSummary = !w.summaryDue;
        w.summaryDue = true;
      }
    }
    if (scheduleSummary) {
      Window window = w;
      scheduler.accept(w.end, () -> summarize(source, window));
    }
    return allowed;
  }

  /** Writes the summary of every window that held lines back, now (at shutdown). */
  void flush() {
    Map<String, Window> open = new HashMap<>();
    synchronized (windows) {
      windows.forEach((source, w) -> {
        if (!w.closed && w.unlogged > 0) {
          open.put(source, w);
        }
      });
    }
    open.forEach(this::summarize);
  }

  private void summarize(String source, Window w) {
    long unlogged;
    synchronized (windows) {
      if (w.closed) {
        return; // summarized already (the timer and a flush may both come)
      }
      w.closed = true; // a line counted from now on opens a new window
      unlogged = w.unlogged;
    }
    log.warn("... and {} more failures of {} in the last minute, not logged one by one "
        + "(at most {} a minute are)", unlogged, source, LINES_PER_WINDOW);
  }
}
