package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The Queues view's Pause and Resume in a real headless browser: the button pauses the queue in
 * the Errand, its state shows, a task submitted meanwhile waits, and Resume runs it. A pause
 * made elsewhere (the API) shows through its event.
 */
class DashboardQueuePauseTest extends BrowserOnFixture {
  @Test
  void pauseAndResumeButtonsStopAndRestartTheQueue() {
    browser.open("#/queues");
    String rowOf = "tr[data-queue='other'] ";
    By state = By.cssSelector(rowOf + ".queue-state");
    browser.untilText(state, "running");

    browser.click(By.cssSelector(rowOf + "button.queue-pause"));
    browser.untilTextContains(state, "paused");
    browser.untilText(By.id("queue-outcome"), "other is paused.");
    assertThat(f.errand.control("other").isPaused()).isTrue();
    long waiting = f.submit("other", "{\"n\": 1}");
    f.awaitFinished(f.submit("work", "{\"n\": 2}")); // the workers run: the pause holds other
    assertThat(f.errand.get(waiting).map(TaskInfo::status)).contains(TaskStatus.WAITING);

    browser.click(By.cssSelector(rowOf + "button.queue-resume"));
    browser.untilText(state, "running");
    assertThat(f.awaitFinished(waiting).status()).isEqualTo(TaskStatus.SUCCESS);

    f.errand.control("work").pause(); // not through this page: its event brings the change
    browser.untilTextContains(By.cssSelector("tr[data-queue='work'] .queue-state"), "paused");
    f.errand.control("work").resume();
    browser.untilText(By.cssSelector("tr[data-queue='work'] .queue-state"), "running");
  }
}
