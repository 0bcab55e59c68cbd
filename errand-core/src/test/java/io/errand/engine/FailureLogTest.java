package io.errand.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.ManualClock;
import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * The WARN lines about failures and their rate limit, on a manual clock: the summary's timer is
 * captured and run by the test, so nothing here sleeps or waits.
 */
class FailureLogTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final RecordingLogger logger = new RecordingLogger();
  private final List<Instant> timerDue = new ArrayList<>();
  private final List<Runnable> timerActions = new ArrayList<>();
  private final FailureLog failures = new FailureLog(logger, clock, (due, action) -> {
    timerDue.add(due);
    timerActions.add(action);
  });

  @Test
  void aTaskFailedForGoodIsOneWarnLineWithItsErrorAndItsMdc() {
    MDC.put("request", "r-1"); // the caller's own entries stay, Errand's are removed after
    try {
      failures.taskFailed(failed(42, "mail", 3, "user-7"));
      assertThat(MDC.getCopyOfContextMap()).containsExactlyEntriesOf(Map.of("request", "r-1"));
    } finally {
      MDC.remove("request");
    }

    assertThat(logger.lines).singleElement().satisfies(line -> {
      assertThat(line.level()).isEqualTo(Level.WARN);
      assertThat(line.message()).isEqualTo("task 42 of queue 'mail' failed for good after 3 "
          + "attempts: attempt 3: java.lang.IllegalStateException: smtp down");
      assertThat(line.mdc()).containsEntry("errand.task_id", "42")
          .containsEntry("errand.queue", "mail").containsEntry("errand.attempt", "3")
          .containsEntry("errand.key", "user-7").containsEntry("request", "r-1");
    });
  }

  @Test
  void aFloodIsFiveLinesAMinutePerQueueThenOneSummaryAtTheEndOfTheMinute() {
    for (int i = 1; i <= 317; i++) {
      failures.taskFailed(failed(i, "mail", 1, null));
      clock.advance(Duration.ofMillis(100)); // 317 failures within 31.7 s
    }
    failures.taskFailed(failed(1_000, "other", 1, null)); // another queue has its own budget

    assertThat(logger.lines).extracting(RecordingLogger.Line::message)
        .filteredOn(m -> m.contains("queue 'mail'")).hasSize(5)
        .allSatisfy(m -> assertThat(m).startsWith("task ").contains("failed for good"));
    assertThat(logger.lines).extracting(RecordingLogger.Line::message)
        .filteredOn(m -> m.contains("queue 'other'")).hasSize(1);
    // One summary is due when the window that opened with the first line closes.
    assertThat(timerDue).containsExactly(T0.plus(FailureLog.WINDOW));

    clock.advance(Duration.ofSeconds(30));
    timerActions.get(0).run();
    assertThat(logger.lines.get(logger.lines.size() - 1)).satisfies(line -> {
      assertThat(line.level()).isEqualTo(Level.WARN);
      assertThat(line.message()).isEqualTo("... and 312 more failures of queue 'mail' in the "
          + "last minute, not logged one by one (at most 5 a minute are)");
    });

    // A new window: the next failures are logged one by one again.
    int before = logger.lines.size();
    failures.taskFailed(failed(2_000, "mail", 1, null));
    assertThat(logger.lines).hasSize(before + 1);
    assertThat(logger.lines.get(before).message()).startsWith("task 2000 of queue 'mail'");
    assertThat(timerDue).hasSize(1); // nothing was held back in the new window
  }

  @Test
  void aShutdownWritesTheSummariesStillDueOnceEach() {
    for (int i = 1; i <= 8; i++) {
      failures.taskFailed(failed(i, "mail", 1, null));
    }
    failures.taskFailed(failed(100, "other", 1, null)); // nothing held back: no summary
    int before = logger.lines.size();

    failures.flush();
    timerActions.get(0).run(); // the window's timer, had it still run, adds nothing

    assertThat(logger.lines.subList(before, logger.lines.size()))
        .extracting(RecordingLogger.Line::message).containsExactly("... and 3 more failures of "
            + "queue 'mail' in the last minute, not logged one by one (at most 5 a minute are)");
  }

  @Test
  void aWindowWithoutExcessNeedsNoSummary() {
    for (int i = 1; i <= FailureLog.LINES_PER_WINDOW; i++) {
      failures.taskFailed(failed(i, "mail", 1, null));
    }
    assertThat(logger.lines).hasSize(FailureLog.LINES_PER_WINDOW);
    assertThat(timerActions).isEmpty();
  }

  @Test
  void abandonedTasksAndFailedKeysShareTheirSourcesBudgetAndCarryTheirMdc() {
    failures.taskAbandoned(7, "mail", 2, null, "did not stop within 5s", "cancelled: user");
    failures.keyFailed("accounts", "alice", 99, 6,
        new TaskError(6, "java.io.IOException", "reset", T0), "restarted 5 times within PT10M");

    assertThat(logger.lines).hasSize(2);
    assertThat(logger.lines.get(0).message()).isEqualTo("task 7 of queue 'mail' did not stop "
        + "within 5s after it was asked to stop (cancelled: user); it is abandoned and its "
        + "worker replaced");
    assertThat(logger.lines.get(0).mdc()).containsEntry("errand.task_id", "7")
        .containsEntry("errand.attempt", "2").doesNotContainKey("errand.key");
    assertThat(logger.lines.get(1).message()).isEqualTo("key 'alice' of supervisor 'accounts' "
        + "FAILED (restarted 5 times within PT10M); last error: attempt 6: "
        + "java.io.IOException: reset");
    assertThat(logger.lines.get(1).mdc()).containsEntry("errand.queue", "accounts")
        .containsEntry("errand.key", "alice").containsEntry("errand.task_id", "99")
        .containsEntry("errand.attempt", "6");

    for (int i = 0; i < 10; i++) {
      failures.keyFailed("accounts", "k" + i, i, 1, null, "crashed and restarts are off");
    }
    assertThat(logger.lines).extracting(RecordingLogger.Line::message)
        .filteredOn(m -> m.contains("supervisor 'accounts'")).hasSize(5);
    assertThat(timerDue).hasSize(1);
  }

  private static TaskInfo failed(long id, String queue, int attempt, String key) {
    Instant at = T0;
    TaskError error = new TaskError(attempt, "java.lang.IllegalStateException", "smtp down", at);
    return new TaskInfo(id, queue, TaskStatus.FAILURE, 0, 0, "", error, null, attempt,
        List.of(error), at, at, at, at, key, 0, 0, null);
  }
}
