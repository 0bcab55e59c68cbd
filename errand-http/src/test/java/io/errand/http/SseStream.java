package io.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent-Events client for tests, parsing as a browser's EventSource does: events are
 * dispatched at a blank line, comments are skipped, and an {@code id:} without data still moves
 * the last event id.
 */
final class SseStream implements AutoCloseable {
  /** One dispatched event. */
  record Event(String id, String type, String data) {
    JsonNode json() {
      try {
        return Http.MAPPER.readTree(data);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + data, e);
      }
    }
  }

  final int status;
  private final InputStream body;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile String lastEventId;
  private volatile boolean connected;

  private SseStream(HttpResponse<InputStream> response) {
    this.status = response.statusCode();
    this.body = response.body();
    this.reader = Thread.ofVirtual().name("sse-test-reader").start(this::read);
  }

  /** Connects to {@code path}, sending {@code lastEventId} when it is not null. */
  static SseStream open(Http http, String path, String lastEventId) {
    HttpRequest.Builder b = http.request(path).header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    try {
      return new SseStream(http.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String type = null;
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (id != null) {
            lastEventId = id;
          }
          connected = true;
          if (data != null) {
            events.add(new Event(lastEventId, type == null ? "message" : type, data.toString()));
          }
          id = null;
          type = null;
          data = null;
        } else if (line.startsWith(":")) {
          continue;
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder(line.substring(6))
              : data.append('\n').append(line.substring(6));
        }
      }
    } catch (IOException e) {
      // closed by the test
    }
  }

  /** Whether the first block (the stream's preamble) has arrived. */
  boolean connected() {
    return connected;
  }

  /** The last event id seen, as a browser would send it on reconnect. */
  String lastEventId() {
    return lastEventId;
  }

  /** The next event, waiting up to 20 s for it. */
  Event next() {
    try {
      Event e = events.poll(20, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no event came within 20 s");
      }
      return e;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    }
  }

  /** Events up to and including the first that matches {@code last}. */
  java.util.List<Event> until(Predicate<Event> last) {
    java.util.List<Event> seen = new java.util.ArrayList<>();
    while (true) {
      Event e = next();
      seen.add(e);
      if (last.test(e)) {
        return seen;
      }
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // already closed
    }
    reader.interrupt();
  }
}
