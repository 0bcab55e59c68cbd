package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard's History view in a real headless browser: a queue's charts are drawn (inline
 * SVG, no CDN) with bars for the tasks that succeeded and failed, and lines of wait and run time.
 */
class DashboardHistoryTest extends BrowserOnFixture {
  @Test
  void aQueuesChartsRenderWithItsSucceededAndFailedTasks() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(f.submit("work", "{\"n\": " + i + "}"));
    }
    ids.add(f.submit("work", "{\"fail\": true, \"message\": \"history\"}"));
    ids.forEach(f::awaitFinished);

    browser.open("#/history?range=hour&queue=work");
    String section = ".history-queue[data-queue='work'] ";
    browser.untilText(By.cssSelector(section + ".history-succeeded"), "4 succeeded");
    assertThat(browser.textOf(By.cssSelector(section + ".history-failed"))).isEqualTo("1 failed");
    assertThat(count(section + "[data-chart='throughput'] svg rect.bar.ok")).isPositive();
    assertThat(count(section + "[data-chart='throughput'] svg rect.bar.failed")).isPositive();
    assertThat(count(section + "[data-chart='wait'] svg polyline.line.wait")).isEqualTo(1);
    assertThat(count(section + "[data-chart='run'] svg polyline.line.run")).isEqualTo(1);

    browser.click(By.cssSelector("a.range[href*='range=day']"));
    browser.untilText(By.cssSelector(".ranges a[aria-current='page']"), "Last day");
    browser.untilText(By.cssSelector(section + ".history-succeeded"), "4 succeeded");
  }

  private static int count(String css) {
    return browser.read(() -> browser.driver.findElements(By.cssSelector(css)).size());
  }
}
