package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard of a server with a token, in a real headless browser: the page asks for the
 * token, refuses a wrong one, shows data with the right one, and sends it only in the
 * Authorization header: never in a URL (checked in Chrome's log of every request).
 */
class DashboardAuthTest {
  private static final String TOKEN = "dashboard-token-4f9c2a71";
  @TempDir
  static Path profile;
  private static Fixture f;
  private static Browser browser;

  @BeforeAll
  static void start() {
    f = new Fixture(TOKEN, b -> b);
    browser = new Browser(f.http.base(), profile);
  }

  @AfterAll
  static void stop() {
    Browser.closeWith(browser, f);
  }

  /** Each test starts as a new tab would: no token kept. */
  @BeforeEach
  void forgetTheToken() {
    browser.open("#/queues");
    browser.driver.executeScript("sessionStorage.clear()");
  }

  @Test
  void theFormRefusesAWrongTokenTheRightOneShowsDataAndNoUrlCarriesIt() {
    browser.driver.manage().logs().get("performance"); // starts the request log afresh
    browser.open("#/queues");
    WebElement form = browser.find(By.id("login-form"));
    browser.until(d -> form.isDisplayed());
    assertThat(browser.driver.findElements(By.cssSelector("#view table"))).isEmpty();

    signIn("not-the-token");
    browser.untilTextContains(By.id("login-error"), "The server refused this token");
    assertThat(browser.textOf(By.id("login-error"))).contains("the bearer token is not valid");
    assertThat(browser.driver.findElement(By.id("login")).isDisplayed()).isTrue();

    signIn(TOKEN);
    browser.find(By.id("queue-work"));
    assertThat(browser.driver.findElement(By.id("login")).isDisplayed()).isFalse();
    browser.untilText(By.id("connection"), "Live");
    browser.go("#/tasks");
    browser.find(By.id("filter-queue"));

    browser.open("#/supervisors"); // a reload: the tab kept the token, no form
    browser.find(By.cssSelector("#view h1"));
    browser.untilText(By.id("connection"), "Live");
    assertThat(browser.driver.findElement(By.id("login")).isDisplayed()).isFalse();
    assertThat(browser.driver.getPageSource()).doesNotContain(TOKEN);

    List<JsonNode> requests = browser.requests();
    assertThat(requests).extracting(r -> r.path("url").asText())
        .isNotEmpty().noneMatch(url -> url.contains(TOKEN))
        .anyMatch(url -> url.endsWith("/api/events"));
    List<JsonNode> api = requests.stream()
        .filter(r -> r.path("url").asText().contains("/api/")).toList();
    assertThat(api).extracting(r -> r.path("headers").path("Authorization").asText())
        .contains("Bearer " + TOKEN, "Bearer not-the-token")
        .allMatch(h -> h.isEmpty() || h.equals("Bearer " + TOKEN)
            || h.equals("Bearer not-the-token"));
    assertThat(api).filteredOn(r -> r.path("url").asText().endsWith("/api/events"))
        .isNotEmpty()
        .allMatch(r -> r.path("headers").path("Authorization").asText().equals("Bearer " + TOKEN));
  }

  @Test
  void aSavedTokenTheServerRefusesBringsTheFormBackSayingSo() {
    browser.driver.executeScript("sessionStorage.setItem('errand.token', 'an-old-token')");
    browser.open("#/queues");
    browser.until(d -> d.findElement(By.id("login")).isDisplayed());
    assertThat(browser.textOf(By.id("login-error")))
        .startsWith("The server refused the saved token").contains("the bearer token is not valid");
    assertThat(browser.textOf(By.id("connection"))).isEqualTo("Signed out");
    assertThat(browser.driver.executeScript("return sessionStorage.getItem('errand.token')"))
        .as("the refused token is forgotten").isNull();
    assertThat(browser.driver.getPageSource()).doesNotContain("an-old-token");

    signIn(TOKEN);
    browser.find(By.id("queue-work"));
  }

  private static void signIn(String token) {
    WebElement input = browser.find(By.id("login-token"));
    input.clear();
    input.sendKeys(token);
    browser.driver.findElement(By.cssSelector("#login-form button[type='submit']")).click();
  }
}
