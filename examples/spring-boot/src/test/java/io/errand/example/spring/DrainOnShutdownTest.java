package io.errand.example.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.sqlite.SqliteStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application as its own process, stopped with a real SIGTERM while it sends a mail: the
 * drain lets the mail finish, and the SQLite file says so after the process has gone.
 *
 * <p>No timing is hoped for: the send waits for a gate file only this test creates, so it is
 * still running when the signal is sent, and the gate opens only once the app logs its drain.
 */
class DrainOnShutdownTest {
  private static final Pattern PORT = Pattern.compile("started on port (\\d+)");

  @Test
  void sigtermDrainsTheMailBeingSent(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("example.db");
    Path gate = dir.resolve("send-gate");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process app = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), ExampleApplication.class.getName(),
        "--server.port=0", "--server.address=127.0.0.1", "--errand.store.path=" + db,
        "--example.send-time=0s", "--example.send-gate=" + gate,
        "--errand.shutdown-grace=120s")
        .redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> read(app, lines, port), "example-output");
    reader.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port.get(120, TimeUnit.SECONDS);
      HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base
              + "/mails")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"ada@example.com\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).as(String.join("\n", lines)).isEqualTo(202);
      String location = accepted.headers().firstValue("Location").orElseThrow();
      long id = Long.parseLong(location.substring("/mails/".length()));
      await().atMost(Duration.ofSeconds(60)).until(() -> http.send(HttpRequest.newBuilder(
              URI.create(base + location)).build(), HttpResponse.BodyHandlers.ofString()).body()
          .contains("\"status\":\"RUNNING\""));
      await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream()
          .anyMatch(l -> l.contains("send to ada@example.com waits for")));

      // The send cannot end before the gate exists, so the signal lands while it runs.
      // A real SIGTERM, as a service manager sends (Process.destroy would also close our end of
      // its output): Spring closes its context, and the lifecycle drains the Errand.
      assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(app.pid())).inheritIO()
          .start().waitFor()).isZero();
      await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream()
          .anyMatch(l -> l.contains("Errand draining")));
      assertThat(app.isAlive()).as("the drain waits for the running send").isTrue();
      assertThat(String.join("\n", lines)).doesNotContain("Errand stopped");
      Files.createFile(gate);

      assertThat(app.waitFor(90, TimeUnit.SECONDS)).as("the app exits").isTrue();
      reader.join(Duration.ofSeconds(10));
      assertThat(String.join("\n", lines)).contains("Errand draining")
          .contains("Errand stopped").contains("1 succeeded").contains("0 requeued");
      try (Errand after = Errand.builder().store(SqliteStore.at(db)).build()) {
        TaskInfo mail = after.get(id).orElseThrow();
        assertThat(mail.status()).isEqualTo(TaskStatus.SUCCESS);
      }
    } finally {
      app.destroyForcibly();
    }
  }

  private static void read(Process app, List<String> lines, CompletableFuture<Integer> port) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
        Matcher m = PORT.matcher(line);
        if (!port.isDone() && m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
      port.completeExceptionally(new AssertionError("the app ended before it listened:\n"
          + String.join("\n", lines)));
    } catch (java.io.IOException e) {
      port.completeExceptionally(e);
    }
  }
}
