package io.errand.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the dashboard tests that share, for their whole class, one default server
 * ({@link Fixture}) and one headless browser on it with its own profile; both are closed after
 * the class, the browser first.
 */
abstract class BrowserOnFixture {
  @TempDir
  static Path profile;
  static Fixture f;
  static Browser browser;

  @BeforeAll
  static void startServerAndBrowser() {
    f = new Fixture();
    browser = new Browser(f.http.base(), profile);
  }

  @AfterAll
  static void closeBrowserAndServer() {
    Browser.closeWith(browser, f);
  }
}
