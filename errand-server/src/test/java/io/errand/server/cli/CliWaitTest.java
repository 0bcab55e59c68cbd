package io.errand.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit --wait} follows the server's event stream: it holds a stream open while it
 * waits, and shows every progress step, even steps far shorter than any polling interval.
 */
class CliWaitTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Pattern CLIENTS = Pattern.compile("(?m)^errand_sse_clients\\S* (\\S+)$");

  @TempDir
  static Path dir;
  static CliServer server;

  @BeforeAll
  static void serve() throws IOException {
    server = CliServer.start(dir, """
        server: {port: 0}
        store: {type: memory}
        queues:
          demo: {handler: demo, workers: 2}
          slow: {handler: demo, workers: 1}
        """, null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyProgressStepShowsEvenWhenStepsTakeAFewMilliseconds() {
    Cli.Result r = errand("submit", "demo", "{\"steps\": 40, \"step_ms\": 2}", "--wait");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("(?m)^task \\d+ SUCCESS: \\{\"steps\":40}$");
    IntStream.rangeClosed(1, 40).forEach(i -> assertThat(r.out())
        .as("step %d of 40 in %s", i, r.out()).contains("step " + i + " of 40\n"));
  }

  @Test
  void whileWaitingItHoldsAnEventStreamOpen() throws Exception {
    int before = streams();
    CompletableFuture<Cli.Result> waiting = CompletableFuture.supplyAsync(() ->
        errand("submit", "slow", "{\"steps\": 1000, \"step_ms\": 20}", "--wait"));
    await().atMost(LONG).until(() -> streams() == before + 1);
    await().atMost(LONG).until(() -> !server.api("GET", "/api/tasks?queue=slow&status=RUNNING",
        null).get("tasks").isEmpty());
    long id = server.api("GET", "/api/tasks?queue=slow&status=RUNNING", null).at("/tasks/0/id")
        .asLong();

    server.api("POST", "/api/tasks/" + id + "/cancel", "{\"reason\": \"seen enough\"}");

    Cli.Result r = waiting.join();
    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).contains("task " + id + " CANCELLED: seen enough");
  }

  @Test
  void anUnknownQueueIsExit5BeforeAnythingIsAdded() {
    Cli.Result r = errand("submit", "nope", "{}", "--wait");
    assertThat(r.code()).as(r.toString()).isEqualTo(5);
    assertThat(r.err()).contains("'nope'");
  }

  /** The server's count of open event streams, from its metrics. */
  private static int streams() throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      String text = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
          .build(), BodyHandlers.ofString()).body();
      Matcher m = CLIENTS.matcher(text);
      assertThat(m.find()).as("errand_sse_clients in %s", text).isTrue();
      return (int) Double.parseDouble(m.group(1));
    }
  }

  private static Cli.Result errand(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--server";
    all[args.length + 1] = server.url();
    return Cli.run(all);
  }
}
