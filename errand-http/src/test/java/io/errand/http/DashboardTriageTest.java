package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.TaskFilter;
import io.errand.api.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard's triage in a real headless browser: each attempt's error in a task's detail,
 * failures grouped by error, search, and bulk actions on a selection and on a filtered set.
 */
class DashboardTriageTest extends BrowserOnFixture {
  @Test
  void aTasksDetailShowsItsErrorWithCausesAndAFoldedStackTrace() {
    long id = f.submit("work", "{\"fail\": true, \"message\": \"import failed\","
        + " \"cause\": \"disk gone\"}");
    f.awaitFinished(id);

    browser.open("#/tasks/" + id);
    String attempt = ".attempt-error[data-attempt='1'] ";
    browser.untilText(By.cssSelector(attempt + ".error-message"), "import failed");
    assertThat(browser.textOf(By.cssSelector(attempt + ".error-type")))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(browser.textOf(By.cssSelector(attempt + ".error-causes")))
        .isEqualTo("caused by java.io.IOException: disk gone");
    By trace = By.cssSelector(attempt + ".error-trace pre");
    assertThat(browser.find(trace).isDisplayed()).as("folded at first").isFalse();
    browser.click(By.cssSelector(attempt + ".error-trace summary"));
    browser.untilTextContains(trace, "java.lang.IllegalStateException: import failed");
    assertThat(browser.textOf(trace)).contains("Caused by: java.io.IOException: disk gone");
  }

  @Test
  void failuresAreGroupedByErrorWithCountsAndLeadToTheirTasks() {
    failed(3, "quota exceeded", "triage-a");
    failed(1, "certificate expired", "triage-b");

    browser.open("#/failures?queue=work");
    By quota = By.xpath("//tr[contains(@class,'failure-group')][.//td[contains(@class,"
        + "'failure-message')][normalize-space()='quota exceeded']]");
    browser.untilTextContains(quota, "quota exceeded");
    assertThat(browser.textOf(By.xpath("//tr[contains(@class,'failure-group')][.//td[contains("
        + "@class,'failure-message')][normalize-space()='quota exceeded']]/td[contains(@class,"
        + "'failure-count')]"))).isEqualTo("3");
    assertThat(browser.textOf(By.xpath("//tr[contains(@class,'failure-group')][.//td[contains("
        + "@class,'failure-message')][normalize-space()='certificate expired']]/td[contains("
        + "@class,'failure-count')]"))).isEqualTo("1");

    browser.click(By.xpath("//tr[.//td[normalize-space()='quota exceeded']]"
        + "//a[contains(@class,'failure-tasks')]"));
    browser.untilText(By.id("search-count"), "3 tasks match");
  }

  @Test
  void bulkRetryOfASearchedSetAsksWithTheCountThenRunsThemAgain() {
    failed(3, "nightly export broke", "bulk-nightly");
    failed(2, "daily export broke", "bulk-daily");

    browser.open("#/search");
    browser.find(By.id("search-text")).sendKeys("bulk-nightly");
    browser.find(By.id("search-status")).sendKeys("FAILURE");
    browser.click(By.id("search-go"));
    browser.untilText(By.id("search-count"), "3 tasks match");

    browser.click(By.id("bulk-retry-all"));
    browser.untilText(By.id("bulk-confirm-text"), "Retry 3 tasks matching this search?");
    browser.click(By.id("bulk-confirm-yes"));
    browser.untilText(By.id("bulk-outcome"), "Retry: 3 done, 0 skipped.");

    TaskFilter nightly = new TaskFilter("work", TaskStatus.FAILURE, "bulk-nightly", null, null);
    await().until(() -> f.errand.count(nightly) == 6);
    assertThat(f.errand.count(new TaskFilter("work", TaskStatus.FAILURE, "bulk-daily", null,
        null))).as("the other failures were left alone").isEqualTo(2);
  }

  @Test
  void aSelectionIsDeletedAfterItsConfirmationAndKeepingThemDoesNothing() {
    List<Long> ids = failed(2, "selection", "bulk-select");

    browser.open("#/search?q=bulk-select");
    browser.untilText(By.id("search-count"), "2 tasks match");
    select(ids.get(0));
    browser.click(DELETE_SELECTED);
    browser.untilText(By.id("bulk-confirm-text"), "Delete 1 selected task?");
    browser.click(By.id("bulk-confirm-no"));
    assertThat(f.errand.get(ids.get(0))).isPresent();

    browser.click(DELETE_SELECTED);
    browser.untilText(By.id("bulk-confirm-text"), "Delete 1 selected task?");
    browser.click(By.id("bulk-confirm-yes"));
    browser.untilText(By.id("bulk-outcome"), "Delete: 1 done, 0 skipped.");
    assertThat(f.errand.get(ids.get(0))).isEmpty();
    assertThat(f.errand.get(ids.get(1))).isPresent();
    browser.untilText(By.id("search-count"), "1 task matches");
  }

  @Test
  void aRefreshOfTheSameSearchKeepsTheSelectionOfTheTasksStillListed() {
    List<Long> ids = failed(2, "kept selection", "keep-select");

    browser.open("#/search?q=keep-select");
    browser.untilText(By.id("search-count"), "2 tasks match");
    select(ids.get(0));

    // The same search read again with a new task in it (the page reloads it so after a
    // reconnect, or, as here, when asked for the newest again): the selection stays.
    long added = failed(1, "kept selection", "keep-select").get(0);
    browser.click(By.id("search-newest"));
    browser.untilText(By.id("search-count"), "3 tasks match");
    browser.find(box(added));
    assertThat(browser.read(() -> browser.find(box(ids.get(0))).isSelected())).isTrue();
    assertThat(browser.read(() -> browser.find(box(ids.get(1))).isSelected())).isFalse();
    assertThat(browser.read(() -> browser.find(box(added)).isSelected())).isFalse();
    browser.click(DELETE_SELECTED);
    browser.untilText(By.id("bulk-confirm-text"), "Delete 1 selected task?");
    browser.click(By.id("bulk-confirm-no"));

    // A selected task that is no longer listed leaves the selection: nothing is left to act on.
    assertThat(f.errand.delete(ids.get(0))).isTrue();
    browser.click(By.id("search-newest"));
    browser.untilText(By.id("search-count"), "2 tasks match");
    browser.until(d -> !d.findElement(DELETE_SELECTED).isEnabled());
  }

  private static final By DELETE_SELECTED = By.id("bulk-delete-selected");

  private static By box(long id) {
    return By.cssSelector("input.select-task[data-id='" + id + "']");
  }

  /**
   * Ticks task {@code id}'s box and waits until the page took it (the selection's buttons are
   * enabled): a click on a disabled button would be lost without a word.
   */
  private static void select(long id) {
    browser.click(box(id));
    browser.until(d -> d.findElement(box(id)).isSelected()
        && d.findElement(DELETE_SELECTED).isEnabled());
  }

  private static List<Long> failed(int n, String message, String tag) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(f.submit("work", "{\"fail\": true, \"message\": \"" + message + "\", \"tag\": \""
          + tag + "\"}"));
    }
    ids.forEach(f::awaitFinished);
    return ids;
  }
}
