package io.errand.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Submit → SSE latency: the time from sending a submit of a no-op task until its SUCCEEDED
 * event arrives on an open {@code /api/events} stream, one task at a time (an idle server's
 * latency, not a loaded one's).
 */
final class SseLatency {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final ConcurrentHashMap<Long, CountDownLatch> waiting = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Long> arrived = new ConcurrentHashMap<>();

  /** Latencies in microseconds, sorted: {@code samples} tasks submitted to {@code queue}. */
  long[] measure(URI base, String queue, String args, int samples) throws Exception {
    HttpRequest events = HttpRequest.newBuilder(base.resolve("/api/events?queue=" + queue))
        .GET().build();
    InputStream stream = client.send(events, HttpResponse.BodyHandlers.ofInputStream()).body();
    Thread reader = Thread.ofPlatform().daemon(true).start(() -> read(stream));
    HttpRequest submit = HttpRequest.newBuilder(base.resolve("/api/queues/" + queue + "/tasks"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"args\": " + args + "}")).build();
    long[] micros = new long[samples];
    for (int i = 0; i < samples; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = client.send(submit, HttpResponse.BodyHandlers.ofString());
      long id = JSON.readTree(r.body()).path("id").asLong();
      CountDownLatch done = waiting.computeIfAbsent(id, k -> new CountDownLatch(1));
      if (!done.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no SUCCEEDED event for task " + id + " in 30 s");
      }
      micros[i] = (arrived.remove(id) - t0) / 1_000;
      waiting.remove(id);
    }
    stream.close();
    reader.interrupt();
    Arrays.sort(micros);
    return micros;
  }

  private void read(InputStream stream) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(stream,
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.startsWith("data: ")) {
          continue;
        }
        long now = System.nanoTime();
        JsonNode e = JSON.readTree(line.substring(6));
        if (e.path("type").asText().equals("SUCCEEDED")) {
          long id = e.path("task_id").asLong();
          arrived.put(id, now);
          waiting.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
        }
      }
    } catch (Exception e) {
      // the stream is closed when the measurement ends
    }
  }
}
