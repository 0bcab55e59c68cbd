package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.postgres.PostgresStore;
import io.errand.postgres.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard's Nodes view in a real headless browser, on two servers sharing one PostgreSQL
 * schema: both nodes, which one answers, and the tasks running on each.
 */
class DashboardNodesTest {
  @TempDir
  Path profile;
  private final TestDatabase db = TestDatabase.get();
  private String schema;
  private Fixture a;
  private Fixture b;
  private Browser browser;

  @BeforeEach
  void start() {
    schema = db.freshSchema();
    a = new Fixture(null, s -> s, PostgresStore.builder(db.url()).schema(schema).poolSize(4)
        .build());
    b = new Fixture(null, s -> s, PostgresStore.builder(db.url()).schema(schema).poolSize(4)
        .build());
    browser = new Browser(a.http.base(), profile);
  }

  @AfterEach
  void stop() {
    a.open("g");
    b.open("g");
    Browser.closeWith(browser, a);
    b.close();
    db.drop(schema);
  }

  @Test
  void bothNodesShowWithTheTasksRunningOnEach() {
    for (int i = 0; i < 6; i++) {
      a.submit("work", "{\"gate\": \"g\"}");
    }
    browser.open("#/nodes");
    By running = By.cssSelector("tr[data-node] td[data-count='running']");
    browser.untilTextContains(By.cssSelector("#view h1"), "Nodes");
    // Six tasks, four workers a node: both nodes run some, in whatever split their claims made.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
      List<Integer> counts = browser.read(() -> browser.driver.findElements(running).stream()
          .map(WebElement::getText).map(t -> t.matches("\\d+") ? Integer.parseInt(t) : -1)
          .toList());
      assertThat(counts).hasSize(2).allSatisfy(n -> assertThat(n).isBetween(2, 4));
      assertThat(counts.get(0) + counts.get(1)).isEqualTo(6);
    });
    assertThat(browser.read(() -> browser.driver.findElements(By.cssSelector("tr[data-node]"))
        .size())).isEqualTo(2);
    assertThat(browser.read(() -> browser.driver.findElements(By.cssSelector(".node-self"))
        .size())).isEqualTo(1);
    assertThat(browser.read(() -> browser.driver.findElements(By.cssSelector(".node-state"))
        .stream().map(WebElement::getText).toList())).containsExactly("alive", "alive");
  }
}
