package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.KeyState;
import io.errand.api.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless browser, on a server without a token (loopback): what a
 * person sees move on screen without reloading, and what the buttons do to the Errand.
 */
class DashboardTest {
  @TempDir
  static Path profile;
  private static Fixture f;
  private static Browser browser;

  @BeforeAll
  static void start() {
    f = new Fixture(null, b -> b.labels(Map.of("work", "示例任务")));
    browser = new Browser(f.http.base(), profile);
  }

  @AfterAll
  static void stop() {
    Browser.closeWith(browser, f);
  }

  @Test
  void aSubmittedTaskAppearsAndItsProgressBarMovesToFullAndSuccessWithoutReload() {
    browser.open("#/tasks?queue=work");
    browser.find(By.id("filter-queue"));
    assertThat(browser.driver.findElement(By.id("login")).isDisplayed())
        .as("no token on loopback: no form").isFalse();
    browser.mark();

    long id = f.submit("work", "{\"gate\": \"progress\", \"steps\": 4}");
    By row = By.id("task-" + id);
    browser.until(d -> "25".equals(bar(row).getDomProperty("value")));
    assertThat(cell(row, "Status")).isEqualTo("RUNNING");
    assertThat(cell(row, "Progress")).isEqualTo("25% (1/4)");
    assertThat(cell(row, "Message")).isEqualTo("step 1 of 4");

    f.open("progress");
    browser.until(d -> "SUCCESS".equals(cell(row, "Status")));
    assertThat(browser.read(() -> bar(row).getDomProperty("value"))).isEqualTo("100");
    assertThat(cell(row, "Progress")).isEqualTo("100% (4/4)");
    assertThat(browser.sameDocument()).as("the page was not reloaded").isTrue();
  }

  @Test
  void theQueueAndStatusFiltersNarrowTheList() {
    long other = f.submit("other", "{\"n\": 1}");
    long failed = f.submit("work", "{\"fail\": true}");
    f.awaitFinished(other);
    f.awaitFinished(failed);
    browser.open("#/tasks");
    browser.find(By.id("task-" + failed));
    browser.find(By.id("task-" + other));

    browser.find(By.cssSelector("#filter-queue option[value='other']")); // the queues came
    new Select(browser.find(By.id("filter-queue"))).selectByValue("other");
    browser.until(d -> d.findElements(By.id("task-" + failed)).isEmpty());
    assertThat(browser.driver.findElements(By.id("task-" + other))).hasSize(1);
    assertThat(browser.read(() -> column("Queue"))).isNotEmpty().containsOnly("other");
    assertThat(browser.driver.getCurrentUrl()).endsWith("#/tasks?queue=other");

    new Select(browser.find(By.id("filter-queue"))).selectByValue("");
    new Select(browser.find(By.id("filter-status"))).selectByValue("FAILURE");
    browser.until(d -> d.findElements(By.id("task-" + other)).isEmpty()
        && !d.findElements(By.id("task-" + failed)).isEmpty());
    assertThat(browser.read(() -> column("Status"))).isNotEmpty().containsOnly("FAILURE");
  }

  @Test
  void pagesFollowTheApisCursorOlderAndBackNewer() {
    StringBuilder batch = new StringBuilder("{\"tasks\": [");
    for (int i = 0; i < 30; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"page\": ").append(i).append('}');
    }
    Http.Response r = f.http.post("/api/queues/other/batches", batch.append("]}").toString());
    assertThat(r.status()).isEqualTo(201);
    r.json().get("ids").forEach(id -> f.awaitFinished(id.asLong()));

    browser.open("#/tasks?queue=other&limit=25");
    List<Long> first = browser.until(d -> ids().size() == 25 ? ids() : null);
    browser.click(By.id("page-older"));
    List<Long> second = browser.until(d -> {
      List<Long> now = ids();
      return !now.isEmpty() && now.get(0) < first.get(24) ? now : null;
    });
    assertThat(second).doesNotContainAnyElementsOf(first)
        .isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(browser.driver.getCurrentUrl()).contains("cursor=");

    browser.click(By.id("page-newer"));
    browser.until(d -> ids().equals(first));
  }

  @Test
  void cancelInATasksDetailCancelsTheRunningTask() {
    long id = f.submit("work", "{\"gate\": \"never\"}");
    f.awaitStatus(id, TaskStatus.RUNNING);
    browser.open("#/tasks/" + id);
    browser.untilText(By.cssSelector(".summary .status"), "RUNNING");
    assertThat(browser.find(By.id("task-retry")).isEnabled()).isFalse();

    browser.click(By.id("task-cancel"));
    browser.untilText(By.cssSelector(".summary .status"), "CANCELLED");
    assertThat(f.errand.get(id).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(browser.textOf(By.id("task-outcome"))).startsWith("Asked to stop");
    assertThat(browser.find(By.id("task-cancel")).isEnabled()).isFalse();
    assertThat(browser.find(By.id("task-retry")).isEnabled()).isTrue();
    browser.untilTextContains(By.id("task-fields"), "cancelled from the dashboard");
  }

  @Test
  void retryInAFailedTasksDetailCreatesANewTaskWithItsArguments() {
    long id = f.submit("work", "{\"fail\": true, \"n\": 7}");
    f.awaitFinished(id);
    browser.open("#/tasks/" + id);
    browser.untilText(By.cssSelector(".summary .status"), "FAILURE");
    assertThat(browser.find(By.cssSelector(".attempt-error")).getText())
        .contains("java.lang.IllegalStateException").contains("asked to fail");
    assertThat(browser.find(By.id("task-args")).getText()).contains("\"n\": 7");

    browser.click(By.id("task-retry"));
    Pattern retried = Pattern.compile("#/tasks/(\\d+)\\?retry_of=" + id + "$");
    String url = browser.until(
        d -> retried.matcher(d.getCurrentUrl()).find() ? d.getCurrentUrl() : null);
    Matcher m = retried.matcher(url);
    assertThat(m.find()).isTrue();
    long retry = Long.parseLong(m.group(1));
    assertThat(retry).isNotEqualTo(id);
    assertThat(browser.find(By.id("retry-of")).getText()).isEqualTo("A retry of task " + id + ".");
    assertThat(f.awaitFinished(retry).args()).isEqualTo(Map.of("fail", true, "n", 7));
    browser.untilText(By.cssSelector(".summary .status"), "FAILURE");
  }

  @Test
  void pausingASupervisedKeyShowsPausedAndResumingShowsRunning() {
    f.errand.supervisor("accounts").put("acme", Map.of("account", "acme"));
    browser.open("#/supervisors");
    By state = By.cssSelector("tr[data-key='acme'] .key-state");
    browser.untilText(state, "RUNNING");

    browser.click(By.cssSelector("tr[data-key='acme'] button.key-pause"));
    browser.untilText(state, "PAUSED");
    assertThat(f.errand.supervisor("accounts").status("acme").orElseThrow().state())
        .isEqualTo(KeyState.PAUSED);

    browser.click(By.cssSelector("tr[data-key='acme'] button.key-resume"));
    browser.untilText(state, "RUNNING");
    assertThat(f.errand.supervisor("accounts").status("acme").orElseThrow().state())
        .isEqualTo(KeyState.RUNNING);
  }

  @Test
  void theQueuesViewShowsLiveCountsAndThroughput() {
    browser.open("#/queues");
    By running = By.cssSelector("#queue-work [data-count='running']");
    By succeeded = By.cssSelector("#queue-work [data-count='succeeded']");
    browser.find(running);
    long before = f.errand.metrics("work").succeeded();
    long runningBefore = f.errand.metrics("work").running();

    long a = f.submit("work", "{\"gate\": \"queues\"}");
    long b = f.submit("work", "{\"gate\": \"queues\"}");
    browser.untilText(running, String.valueOf(runningBefore + 2));
    f.open("queues");
    f.awaitFinished(a);
    f.awaitFinished(b);
    browser.untilText(succeeded, String.valueOf(before + 2));
    assertThat(browser.textOf(By.cssSelector("#queue-work [data-count='throughput']")))
        .matches("\\d+\\.\\d/s");
    assertThat(browser.textOf(By.id("connection"))).isEqualTo("Live");
  }

  @Test
  void theQueuesViewShowsAQueuesLabelUnderItsName() {
    browser.open("#/queues");
    browser.find(By.cssSelector("#queue-other [data-count='running']"));

    assertThat(browser.textOf(By.cssSelector("#queue-work [data-label-of='work']")))
        .isEqualTo("示例任务");
    assertThat(browser.driver.findElements(By.cssSelector("#queue-other [data-label-of]")))
        .as("a queue without a label").isEmpty();
  }

  @Test
  void aTaskDelayedIntoTheFutureShowsScheduledWithWhenItIsDueApartFromWaiting() {
    Http.Response r = f.http.post("/api/queues/work/tasks",
        "{\"args\": {\"later\": 1}, \"delay\": \"2h\"}");
    assertThat(r.status()).isEqualTo(201);
    long id = r.json().get("id").asLong();
    String runAt = f.http.get("/api/tasks/" + id).json().get("run_at").asText();
    try {
      browser.open("#/tasks?queue=work");
      By row = By.id("task-" + id);
      browser.until(d -> cell(row, "Status") != null);
      assertThat(cell(row, "Status")).matches("SCHEDULED in (2 h|1 h 59 min)");
      assertThat(browser.find(By.cssSelector("#task-" + id + " .status"))
          .getDomAttribute("class")).contains("status-scheduled");
      WebElement due = browser.find(By.cssSelector("#task-" + id + " td[data-label='Status'] time"));
      assertThat(due.getDomAttribute("datetime")).isEqualTo(runAt);
      assertThat(due.getDomAttribute("title")).contains(runAt.substring(0, 4));

      browser.open("#/tasks/" + id);
      browser.untilText(By.cssSelector(".summary .status"), "SCHEDULED");
      assertThat(browser.textOf(By.id("task-fields")))
          .containsPattern("Runs at\nin (2 h|1 h 59 min)\n");
    } finally {
      f.errand.cancel(id, "test over");
    }
    browser.untilText(By.cssSelector(".summary .status"), "CANCELLED");
  }

  @Test
  void timesReadRelativeWithTheLocalTimeOnHoverAndMoveOn() {
    long id = f.submit("other", "{\"n\": 5}");
    f.awaitFinished(id);
    String created = f.http.get("/api/tasks/" + id).json().get("created_at").asText();
    browser.open("#/tasks?queue=other");
    By time = By.cssSelector("#task-" + id + " td[data-label='Created'] time");
    String first = browser.until(d -> browser.textOf(time));
    assertThat(first).matches("now|\\d+ s ago");
    WebElement t = browser.find(time);
    assertThat(t.getDomAttribute("datetime")).isEqualTo(created);
    assertThat(t.getDomAttribute("title")).isNotBlank().doesNotContain("ago");
    browser.until(d -> {
      String now = browser.textOf(time);
      return now != null && now.matches("\\d+ s ago") && !now.equals(first) ? now : null;
    });

    browser.open("#/tasks/" + id);
    browser.untilTextContains(By.id("task-fields"), "Finished");
    assertThat(browser.textOf(By.id("task-fields"))).containsPattern(
        "Created\n(now|\\d+ s ago)\n").containsPattern("Finished\n(now|\\d+ s ago) \\(ran ");
  }

  @Test
  void theTasksListAndATasksDetailShowTheQueuesLabel() {
    long id = f.submit("work", "{\"n\": 9}");
    f.awaitFinished(id);
    browser.open("#/tasks");
    String label = browser.until(d -> browser.textOf(
        By.cssSelector("#task-" + id + " [data-label-of='work']")));
    assertThat(label).isEqualTo("示例任务");
    assertThat(browser.textOf(By.cssSelector("#filter-queue option[value='work']")))
        .isEqualTo("work (示例任务)");
    assertThat(browser.driver.findElements(By.cssSelector("#tasks [data-label-of='other']")))
        .as("a queue without a label").isEmpty();

    browser.open("#/tasks/" + id);
    browser.untilTextContains(By.cssSelector("#task-fields [data-label-of='work']"), "示例任务");
  }

  @Test
  void aFailedKeyOffersRestartAndRestartRunsItAgain() {
    f.errand.supervisor("accounts").put("crashy", Map.of("fail", true));
    await().atMost(Duration.ofSeconds(20)).until(() -> f.errand.supervisor("accounts")
        .status("crashy").orElseThrow().state() == KeyState.FAILED);
    browser.open("#/supervisors");
    By state = By.cssSelector("tr[data-key='crashy'] .key-state");
    browser.untilText(state, "FAILED");
    assertThat(browser.driver.findElements(By.cssSelector("tr[data-key='crashy'] button.key-pause")))
        .as("a failed key has nothing to pause").isEmpty();

    browser.click(By.cssSelector("tr[data-key='crashy'] button.key-restart"));

    browser.untilText(state, "RUNNING");
    assertThat(f.errand.supervisor("accounts").status("crashy").orElseThrow().state())
        .isEqualTo(KeyState.RUNNING);
    assertThat(browser.textOf(By.id("key-outcome"))).matches("crashy is (STARTING|RUNNING)\\.");
  }

  @Test
  void fitsAPhoneAndA1024PixelScreenWithoutSideways() {
    f.errand.supervisor("accounts").put("phone", Map.of("account", "a rather long account name"));
    long id = f.submit("other", "{\"a\": \"some text long enough to need wrapping on a phone\"}");
    f.awaitFinished(id);
    try {
      for (int width : new int[] {390, 1024}) {
        browser.size(width, 844);
        for (String hash : List.of("#/queues", "#/tasks", "#/tasks/" + id, "#/supervisors",
            "#/search?q=" + id, "#/failures")) {
          browser.open(hash);
          browser.find(By.cssSelector("#view h1"));
          browser.find(By.cssSelector("#view table, #view .fields, #view .notice"));
          Object overflow = browser.driver.executeScript(
              "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
          assertThat(((Number) overflow).intValue()).as("%s at %d px", hash, width)
              .isLessThanOrEqualTo(0);
        }
      }
    } finally {
      browser.size(1024, 800);
    }
  }

  private static WebElement bar(By row) {
    return browser.driver.findElement(row).findElement(By.tagName("progress"));
  }

  /** The text of a row's cell in column {@code label}, or null while the row is not there. */
  private static String cell(By row, String label) {
    return browser.read(() -> {
      List<WebElement> rows = browser.driver.findElements(row);
      return rows.isEmpty() ? null : rows.get(0)
          .findElement(By.cssSelector("td[data-label='" + label + "']")).getText().trim();
    });
  }

  private static List<String> column(String label) {
    return browser.driver.findElements(By.cssSelector("#tasks td[data-label='" + label + "']"))
        .stream().map(e -> e.getText().trim()).toList();
  }

  private static List<Long> ids() {
    return browser.driver.findElements(By.cssSelector("#tasks tbody tr")).stream()
        .map(e -> Long.parseLong(e.getDomAttribute("id").substring("task-".length()))).toList();
  }
}
