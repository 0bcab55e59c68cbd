package io.errand.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.QueueMetrics;
import io.errand.server.config.ConfigLoader;
import io.errand.server.serve.ErrandServer;
import io.javalin.Javalin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's HTTP figures (issue 5): submit throughput over kept-alive connections from
 * {@code clients} closed-loop clients, side by side with a bare Javalin endpoint that parses the
 * same body and answers the same 201 (the HTTP stack's ceiling on this machine, so the ratio is
 * what Errand's own work costs); then, once the load's backlog has run, submit → SSE SUCCEEDED
 * latency of no-op tasks. Both on the memory store and on SQLite (FULL).
 *
 * <p>{@code run.sh http [clients=16] [seconds=15] [samples=2000] [warm-up seconds=15]}
 */
public final class HttpBench {
  private static final String NOOP = "{\"steps\": 0}";
  private static final String BODY = "{\"args\": " + NOOP + "}";

  private HttpBench() {}

  /** Runs the figures and prints a table. */
  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    Duration length = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 15);
    int samples = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    Duration warmup = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 15);
    HttpLoad load = new HttpLoad();
    System.out.printf("# %d clients, %s measured after %s warm-up; %d SSE samples; %d cores%n",
        clients, length, warmup, samples, Runtime.getRuntime().availableProcessors());

    HttpLoad.Result bare = bare(load, clients, warmup, length);
    print("bare Javalin (same body, same 201)", bare, bare);
    for (String store : new String[] {"memory", "sqlite"}) {
      Path dir = Files.createTempDirectory("errand-http-bench");
      try (ErrandServer server = ErrandServer.start(new ConfigLoader(Map.of()).load(
          config(dir, store)))) {
        URI submit = server.url().resolve("/api/queues/bench/tasks");
        load.run(submit, BODY, 201, clients, warmup);
        HttpLoad.Result r = load.run(submit, BODY, 201, clients, length);
        print("errand serve, " + store, r, bare);
        long backlog = drain(server);
        if (backlog > 0) {
          System.out.printf("  (waited %d ms for the tasks the load left behind to run)%n",
              backlog);
        }
        long[] sse = new SseLatency().measure(server.url(), "bench", NOOP, samples);
        System.out.printf("  submit -> SSE SUCCEEDED, %s: p50 %d us, p99 %d us, max %d us%n",
            store, HttpLoad.percentile(sse, 0.5), HttpLoad.percentile(sse, 0.99),
            sse[sse.length - 1]);
      }
    }
    // Measured again last, in a warm JVM: the ratios above use the first run; see both.
    HttpLoad.Result again = bare(load, clients, warmup, length);
    print("bare Javalin again, at the end", again, bare);
  }

  private static HttpLoad.Result bare(HttpLoad load, int clients, Duration warmup,
      Duration length) throws InterruptedException {
    try (Bare b = new Bare()) {
      load.run(b.url, BODY, 201, clients, warmup);
      return load.run(b.url, BODY, 201, clients, length);
    }
  }

  /**
   * Waits until the queue has nothing waiting or running, so the latency samples measure an
   * idle server rather than the load's backlog. Returns how long that took, in ms.
   */
  private static long drain(ErrandServer server) throws InterruptedException {
    long t0 = System.nanoTime();
    while (true) {
      QueueMetrics m = server.errand().metrics("bench");
      if (m.waiting() == 0 && m.running() == 0) {
        return (System.nanoTime() - t0) / 1_000_000;
      }
      Thread.sleep(50); // polls a condition that has no callback
    }
  }

  private static Path config(Path dir, String store) throws java.io.IOException {
    String storeYaml = store.equals("memory") ? "{type: memory}"
        : "{type: sqlite, path: " + dir.resolve("errand.db") + "}";
    return Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0}
        store: %s
        queues:
          bench: {handler: demo, workers: 8, capacity: 10000000, retention: 10s}
        """.formatted(storeYaml));
  }

  private static void print(String what, HttpLoad.Result r, HttpLoad.Result bare) {
    System.out.printf("%-38s %9.0f req/s  p50 %6d us  p99 %7d us  errors %d  ratio %.2f%n",
        what, r.perSecond(), r.p50Micros(), r.p99Micros(), r.errors(),
        r.perSecond() / bare.perSecond());
  }

  /** The baseline: Javalin on virtual threads, parsing the body and answering 201. */
  private static final class Bare implements AutoCloseable {
    private final Javalin app;
    private final URI url;

    Bare() {
      ObjectMapper json = new ObjectMapper();
      AtomicLong ids = new AtomicLong();
      app = Javalin.create(c -> {
        c.concurrency.useVirtualThreads = true;
        c.startup.showJavalinBanner = false;
        c.routes.post("/api/queues/{queue}/tasks", ctx -> {
          JsonNode body = json.readTree(ctx.body());
          if (!body.has("args")) {
            ctx.status(400);
            return;
          }
          ctx.status(201).contentType("application/json")
              .result("{\"id\":" + ids.incrementAndGet() + ",\"status\":\"WAITING\"}");
        });
      });
      app.start("127.0.0.1", 0);
      url = URI.create("http://127.0.0.1:" + app.port() + "/api/queues/bench/tasks");
    }

    @Override
    public void close() {
      app.stop();
    }
  }
}
