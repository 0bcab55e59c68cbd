package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.api.ScheduleState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard's Schedules view in a real headless browser: the spec in words, the next runs,
 * the last outcome, and what Pause, Resume and Run now do to the Errand.
 */
class DashboardSchedulesTest extends BrowserOnFixture {
  @Test
  void aScheduleShowsItsWordsAndNextRunsAndItsButtonsPauseResumeAndRunIt() {
    f.errand.schedules().create(Schedule.builder("hourly-report", "other",
        ScheduleSpec.every(Duration.ofHours(1))).args(Map.of("n", 1)).build());
    browser.open("#/schedules");
    String rowOf = "tr[data-schedule='hourly-report'] ";
    By state = By.cssSelector(rowOf + ".schedule-state");
    browser.untilText(state, "ACTIVE");
    assertThat(browser.textOf(By.cssSelector(rowOf + ".schedule-words"))).isEqualTo("every hour");
    assertThat(browser.read(() -> browser.driver.findElements(
        By.cssSelector(rowOf + ".schedule-next li")).size())).isEqualTo(3);
    assertThat(browser.textOf(By.cssSelector(rowOf + ".schedule-last"))).isEqualTo("never");

    browser.click(By.cssSelector(rowOf + "button.schedule-pause"));
    browser.untilText(state, "PAUSED");
    assertThat(f.errand.schedules().get("hourly-report").orElseThrow().state())
        .isEqualTo(ScheduleState.PAUSED);
    assertThat(browser.textOf(By.cssSelector(rowOf + ".schedule-next"))).isEqualTo("paused");

    browser.click(By.cssSelector(rowOf + "button.schedule-resume"));
    browser.untilText(state, "ACTIVE");
    assertThat(f.errand.schedules().get("hourly-report").orElseThrow().state())
        .isEqualTo(ScheduleState.ACTIVE);

    browser.click(By.cssSelector(rowOf + "button.schedule-run-now"));
    browser.untilTextContains(By.id("schedule-outcome"), "submitted");
    long task = f.errand.schedules().get("hourly-report").orElseThrow().lastRun().taskId();
    assertThat(browser.textOf(By.id("schedule-outcome")))
        .isEqualTo("hourly-report: task " + task + " submitted.");
    f.awaitFinished(task);
    browser.open("#/schedules");
    browser.untilTextContains(By.cssSelector(rowOf + ".schedule-last"), "#" + task);
    browser.untilTextContains(By.cssSelector(rowOf + ".schedule-last"), "SUCCESS");
  }
}
