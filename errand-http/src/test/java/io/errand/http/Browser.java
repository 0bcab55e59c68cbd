package io.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver for the dashboard's tests.
 * Both paths are given to Selenium, so Selenium Manager never looks for (or downloads) a
 * browser or a driver. Missing binaries fail the test, naming the way to install them: a
 * browser test that cannot run must not pass.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(15);
  /**
   * Quiet about the DevTools versions Selenium ships without (the tests never use DevTools);
   * held here because java.util.logging keeps loggers only weakly.
   */
  private static final Logger CDP_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

  final ChromeDriver driver;
  private final String base;

  /** A fresh browser (its own profile under {@code profile}) on the server at {@code base}. */
  Browser(String base, Path profile) {
    installIfMissing();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.PERFORMANCE, Level.ALL); // every request the page makes, for the auth test
    logs.enable(LogType.BROWSER, Level.ALL); // the console, shown when a wait fails
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    this.base = base;
    size(1024, 800);
  }

  /** Closes {@code browser}, if it started, then {@code server}, even if the first fails. */
  static void closeWith(Browser browser, Fixture server) {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      server.close();
    }
  }

  /**
   * The suite installs what it needs beyond the JDK and Maven: Debian's chromium and
   * chromium-driver, once per test JVM, when either is missing (apt-get, through sudo unless
   * root). If that fails the tests fail, saying what to install; they never skip. The module's
   * test JVMs run side by side, so the install is also locked across them (a file lock in the
   * temporary directory): a second apt-get would fail on dpkg's lock, not wait for it.
   */
  private static synchronized void installIfMissing() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "errand-chromium-install.lock");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
      if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
        install();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not lock " + lockFile + " to install chromium", e);
    }
  }

  /** Installs chromium and its driver with apt-get, or fails saying how to. */
  private static void install() {
    String sudo = "root".equals(System.getProperty("user.name")) ? "" : "sudo ";
    ProcessBuilder install = new ProcessBuilder("sh", "-c", sudo + "apt-get update -qq && "
        + sudo + "apt-get install -y -qq chromium chromium-driver")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
    install.environment().put("DEBIAN_FRONTEND", "noninteractive");
    String outcome;
    try {
      Process p = install.start();
      outcome = p.waitFor(10, TimeUnit.MINUTES)
          ? "exit " + p.exitValue() : "still running after 10 minutes";
    } catch (IOException e) {
      outcome = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = "interrupted";
    }
    for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(binary)) {
        throw new AssertionError(binary + " is missing and installing it failed (" + outcome
            + "): the dashboard's browser tests drive Debian's chromium through its"
            + " chromedriver; install them with: apt-get install -y chromium chromium-driver");
      }
    }
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  void size(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Loads the dashboard at {@code hash} (e.g. {@code #/tasks}) afresh. */
  void open(String hash) {
    driver.get("about:blank"); // else a URL that differs in its hash only would not reload
    driver.get(base + "/" + hash);
  }

  /** Goes to {@code hash} inside the page already loaded, as a link would. */
  void go(String hash) {
    driver.executeScript("location.hash = arguments[0]", hash);
  }

  /**
   * Waits until {@code condition} gives a value other than null or false. Elements that the
   * page re-rendered meanwhile (stale) count as not yet.
   */
  <T> T until(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT, Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class).withMessage(this::page).until(condition);
  }

  /** Reads the page through {@code read}, again if the page re-rendered what it read. */
  <T> T read(Supplier<T> read) {
    for (int tries = 1; ; tries++) {
      try {
        return read.get();
      } catch (StaleElementReferenceException e) {
        if (tries == 20) {
          throw e;
        }
      }
    }
  }

  WebElement find(By by) {
    return until(d -> d.findElement(by));
  }

  /**
   * Clicks the element {@code by}, found afresh: when the page re-renders it between the find
   * and the click (a live update, more likely on a busy machine), the click is refused as stale
   * and never delivered, so it is tried again on the new element.
   */
  void click(By by) {
    until(d -> {
      d.findElement(by).click();
      return true;
    });
  }

  /** Waits until the text of the element {@code by} is {@code text}. */
  void untilText(By by, String text) {
    new WebDriverWait(driver, WAIT, Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> by + " to read '" + text + "', but it reads '" + textOf(by) + "'; "
            + page())
        .until(d -> text.equals(textOf(by)));
  }

  /** Waits until the text of the element {@code by} contains {@code part}. */
  void untilTextContains(By by, String part) {
    new WebDriverWait(driver, WAIT, Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> by + " to contain '" + part + "', but it reads '" + textOf(by) + "'; "
            + page())
        .until(d -> {
          String now = textOf(by);
          return now != null && now.contains(part);
        });
  }

  /** The text of {@code by}, or null when it is not there (now). */
  String textOf(By by) {
    return read(() -> {
      List<WebElement> found = driver.findElements(by);
      return found.isEmpty() ? null : found.get(0).getText().trim();
    });
  }

  /** What the page shows and logged, for the message of a failed wait. */
  String page() {
    try {
      String view = String.valueOf(driver.executeScript(
          "return document.getElementById('main').innerText"));
      StringBuilder b = new StringBuilder("the page at ").append(driver.getCurrentUrl())
          .append(" shows: ").append(view.length() > 800 ? view.substring(0, 800) + "…" : view);
      for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
        b.append("\n  console: ").append(e.getLevel()).append(' ').append(e.getMessage());
      }
      return b.toString();
    } catch (RuntimeException e) {
      return "(the page could not be read: " + e.getMessage() + ")";
    }
  }

  /** Marks the loaded page: {@link #sameDocument()} is false once the page was reloaded. */
  void mark() {
    driver.executeScript("window.errandTestMark = 'kept'");
  }

  boolean sameDocument() {
    return "kept".equals(driver.executeScript("return window.errandTestMark || null"));
  }

  /**
   * Every request the page sent since the last call, from Chrome's performance log:
   * {@code Network.requestWillBeSent} entries' {@code request} objects (url, method, headers).
   */
  List<JsonNode> requests() {
    List<JsonNode> requests = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
      try {
        JsonNode message = Http.MAPPER.readTree(entry.getMessage()).path("message");
        if (message.path("method").asText().equals("Network.requestWillBeSent")) {
          requests.add(message.path("params").path("request"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return requests;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
