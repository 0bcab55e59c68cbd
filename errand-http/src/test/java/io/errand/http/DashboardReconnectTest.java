package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The page's one event stream when the server goes away and comes back: it says so, reconnects
 * by itself with the id of the last event it saw, and, told by the new server that this id is
 * of its last run ({@code event: reset}), re-reads what is on screen, all without a reload.
 */
class DashboardReconnectTest {
  @TempDir
  static Path profile;
  private static Fixture f;
  private static Browser browser;
  private static ApiServer restarted;

  @BeforeAll
  static void start() {
    f = new Fixture();
    browser = new Browser(f.http.base(), profile);
  }

  @AfterAll
  static void stop() {
    try {
      Browser.closeWith(browser, f);
    } finally {
      if (restarted != null) {
        restarted.stop();
      }
    }
  }

  @Test
  void afterARestartOfTheServerThePageReconnectsResumingAndCatchesUp() {
    long before = f.submit("other", "{\"n\": 1}");
    f.awaitFinished(before);
    browser.open("#/tasks");
    browser.find(By.id("task-" + before));
    browser.untilText(By.id("connection"), "Live");
    browser.mark();
    browser.requests(); // the request log starts here

    int port = f.server.port();
    f.server.stop();
    browser.until(d -> browser.textOf(By.id("connection")).startsWith("Reconnecting in"));
    restarted = ApiServer.builder(f.errand).port(port).build();
    restarted.start();
    // The new server numbers its events afresh, under a new run: the id the page resumes from
    // is of the last run, however many events the new one numbered before the page is back, so
    // it answers with a reset first, and the page re-reads the list.
    long after = f.submit("other", "{\"n\": 2}");

    browser.untilText(By.id("connection"), "Live");
    browser.find(By.id("task-" + after));
    assertThat(browser.sameDocument()).as("the page was not reloaded").isTrue();
    List<JsonNode> streams = browser.requests().stream()
        .filter(r -> r.path("url").asText().endsWith("/api/events")).toList();
    assertThat(streams).isNotEmpty().allSatisfy(r ->
        assertThat(r.path("headers").path("Last-Event-ID").asText()).matches("[0-9a-z]+-\\d+"));
  }
}
