package io.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.spi.TaskStore;
import io.errand.sqlite.SqliteStore;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Ten thousand generated requests per store, on every route, against a real server on
 * loopback (see {@link FuzzRequests} for what they hold). None may get a 5xx; every error is
 * {@code {"error": {"code", "message"}}}; every JSON answer says {@code nosniff}; nothing is
 * logged as an ERROR (a worker that dies on a stored value answers no request, yet is as
 * broken); afterwards the server is healthy, still runs tasks, and the tasks made before are as
 * they were.
 *
 * <p>The seed is printed with any failure; rerun it with {@code -Dfuzz.seed=N}.
 */
class ApiGeneratedFuzzTest {
  private static final int REQUESTS = 10_000;
  private static final int SENDERS = 4;
  private static final int MAX_BODY = 64 * 1024;
  /** Each request is answered at once or not at all (an event stream opened by mistake). */
  private static final java.time.Duration ANSWER_TIMEOUT = java.time.Duration.ofSeconds(10);

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"memory", "sqlite"})
  void tenThousandGeneratedRequestsGetNo5xxAndLeaveEarlierTasksIntact(String storeKind)
      throws Exception {
    long seed = Long.getLong("fuzz.seed", new Random().nextLong());
    TaskStore store = storeKind.equals("sqlite") ? SqliteStore.at(dir.resolve("fuzz.db")) : null;
    ErrorLog errors = new ErrorLog();
    try (errors; Fixture f = new Fixture(null, b -> b.maxBodyBytes(MAX_BODY), store)) {
      Map<Long, TaskInfo> before = tasksBefore(f);
      List<FuzzRequests.Request> requests =
          new FuzzRequests(new Random(seed), List.copyOf(before.keySet())).take(REQUESTS);

      List<String> failures = send(f.http, requests);

      String context = "seed " + seed + " (rerun with -Dfuzz.seed=" + seed + "), " + storeKind
          + " store";
      assertThat(failures).as(context).isEmpty();
      assertThat(errors.first()).as(context + ": errors logged").isEmpty();
      assertThat(f.http.get("/api/health").status()).as(context).isEqualTo(200);
      for (TaskInfo was : before.values()) {
        TaskInfo now = f.errand.get(was.id()).orElseThrow(
            () -> new AssertionError(context + ": task " + was.id() + " is gone"));
        assertThat(now).as(context + ": task " + was.id()).usingRecursiveComparison()
            .isEqualTo(was);
      }
      long after = f.submit("other", "{\"after\": \"the flood\"}");
      assertThat(f.awaitFinished(after).status()).as(context).isEqualTo(TaskStatus.SUCCESS);
      f.open("before");
      long running = before.values().stream().filter(t -> t.status() == TaskStatus.RUNNING)
          .findFirst().orElseThrow().id();
      assertThat(f.awaitFinished(running).status()).as(context).isEqualTo(TaskStatus.SUCCESS);
    }
  }

  /** The first few ERROR events logged while it is open, with their exceptions. */
  private static final class ErrorLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<String> first = Collections.synchronizedList(new ArrayList<>());

    ErrorLog() {
      start();
      root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent e) {
      if (e.getLevel().isGreaterOrEqual(Level.ERROR) && first.size() < 5) {
        IThrowableProxy t = e.getThrowableProxy();
        first.add(e.getFormattedMessage() + (t == null ? ""
            : " | " + t.getClassName() + ": " + t.getMessage()
                + (t.getStackTraceElementProxyArray().length == 0 ? ""
                    : " at " + t.getStackTraceElementProxyArray()[0])));
      }
    }

    List<String> first() {
      return List.copyOf(first);
    }

    @Override
    public void close() {
      root.detachAppender(this);
      stop();
    }
  }

  /** A finished, a running, a delayed and a keyed task, as they are once settled. */
  private static Map<Long, TaskInfo> tasksBefore(Fixture f) {
    long done = f.submit("other", "{\"n\": 1}");
    f.awaitFinished(done);
    long running = f.submit("work", "{\"gate\": \"before\"}");
    f.awaitStatus(running, TaskStatus.RUNNING);
    Http.Response delayed = f.http.post("/api/queues/other/tasks",
        "{\"args\": {\"n\": 3}, \"delay\": \"1d\", \"priority\": -4, \"key\": \"kept\"}");
    Http.Response dated = f.http.post("/api/queues/work/tasks",
        "{\"args\": [4], \"run_at\": \"9999-12-31T23:59:59Z\"}");
    assertThat(delayed.status()).as(delayed.toString()).isEqualTo(201);
    assertThat(dated.status()).as(dated.toString()).isEqualTo(201);
    Map<Long, TaskInfo> tasks = new LinkedHashMap<>();
    for (long id : List.of(done, running, delayed.json().get("id").asLong(),
        dated.json().get("id").asLong())) {
      tasks.put(id, f.errand.get(id).orElseThrow());
    }
    return tasks;
  }

  /** Sends them all from a few threads; the ways they were answered wrongly, at most 20. */
  private static List<String> send(Http http, List<FuzzRequests.Request> requests)
      throws Exception {
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    Iterator<FuzzRequests.Request> next = requests.iterator();
    try (ExecutorService senders = Executors.newFixedThreadPool(SENDERS)) {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        running.add(senders.submit(() -> {
          while (failures.size() < 20) {
            FuzzRequests.Request r;
            synchronized (next) {
              if (!next.hasNext()) {
                return null;
              }
              r = next.next();
            }
            String wrong = check(http, request(http, r));
            if (wrong != null) {
              failures.add(r + "\n    -> " + wrong);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    }
    return failures;
  }

  private static HttpRequest request(Http http, FuzzRequests.Request r) {
    HttpRequest.Builder b = http.request(r.path()).timeout(ANSWER_TIMEOUT)
        .method(r.method(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(r.body()));
    if (r.contentType() != null) {
      b.header("Content-Type", r.contentType());
    }
    return b.build();
  }

  /**
   * What is wrong with the answer to {@code request}, or null. The whole answer must come
   * within the time-out (the client's own time-out ends at the headers, and an event stream
   * opened by mistake sends those at once, then never ends).
   */
  private static String check(Http http, HttpRequest request) {
    CompletableFuture<HttpResponse<String>> answer =
        http.client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> raw;
    try {
      raw = answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      return "no whole answer within " + ANSWER_TIMEOUT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (ExecutionException e) {
      return "no answer that could be read: " + e.getCause();
    }
    JsonNode json = null;
    if (raw.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
      try {
        json = Http.MAPPER.readTree(raw.body());
      } catch (IOException e) {
        return "a JSON answer that is not JSON: " + raw.statusCode() + " " + raw.body();
      }
    }
    return check(new Http.Response(raw.statusCode(), raw.headers(), raw.body(), json));
  }

  /** What is wrong with the answer, or null. */
  private static String check(Http.Response r) {
    if (r.status() >= 500) {
      return "a 5xx: " + abbreviated(r);
    }
    boolean json = r.header("Content-Type").orElse("").startsWith("application/json");
    if (json && !r.header("X-Content-Type-Options").orElse("").equals("nosniff")) {
      return "a JSON answer without X-Content-Type-Options: nosniff: " + abbreviated(r);
    }
    if (r.status() < 400) {
      return null;
    }
    JsonNode body = r.json();
    if (body == null || !body.isObject() || body.size() != 1 || !body.path("error").isObject()) {
      return "an error not in the shape {\"error\": {...}}: " + abbreviated(r);
    }
    JsonNode error = body.get("error");
    List<String> fields = new ArrayList<>();
    error.fieldNames().forEachRemaining(fields::add);
    if (!fields.equals(List.of("code", "message")) || !error.get("code").isTextual()
        || error.get("code").asText().isBlank() || !error.get("message").isTextual()
        || error.get("message").asText().isBlank()) {
      return "an error without exactly a code and a message: " + abbreviated(r);
    }
    if (r.body().contains("Exception") || r.body().contains("\tat ")) {
      return "an error that shows a Java exception: " + abbreviated(r);
    }
    return null;
  }

  private static String abbreviated(Http.Response r) {
    String s = r.toString();
    return s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }
}
