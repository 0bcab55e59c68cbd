package io.errand.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load generator: {@code clients} threads, each sending the same POST again
 * as soon as the last answer came, over kept-alive HTTP/1.1 connections, for a fixed time.
 */
final class HttpLoad {
  /** What one run measured: answers per second and the latency of each request. */
  record Result(long requests, long errors, double perSecond, long p50Micros, long p99Micros,
      long maxMicros) {}

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();

  /** POSTs {@code body} to {@code url} from {@code clients} threads for {@code length}. */
  Result run(URI url, String body, int expectStatus, int clients, Duration length)
      throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    long end = System.nanoTime() + length.toNanos();
    AtomicLong errors = new AtomicLong();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    int[] counts = new int[clients];
    for (int c = 0; c < clients; c++) {
      long[] lat = new long[4_000_000 / clients];
      perThread.add(lat);
      int me = c;
      threads.add(Thread.ofPlatform().start(() -> {
        int n = 0;
        while (System.nanoTime() < end && n < lat.length) {
          long t0 = System.nanoTime();
          try {
            HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != expectStatus) {
              errors.incrementAndGet();
            }
          } catch (Exception e) {
            errors.incrementAndGet();
          }
          lat[n++] = System.nanoTime() - t0;
        }
        counts[me] = n;
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(perThread.get(c), 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    return new Result(total, errors.get(), total / (length.toNanos() / 1e9),
        percentile(all, 0.50) / 1_000, percentile(all, 0.99) / 1_000,
        all.length == 0 ? 0 : all[all.length - 1] / 1_000);
  }

  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }
}
