package io.errand.server.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.common.Redaction;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * POSTs one event as JSON to a URL: a 2xx answer delivers it; 5xx, 429 and connection errors
 * are tried again twice (after 1 s, then 4 s); other answers give up at once. The receiver
 * sees {@code X-Errand-Event} and can de-duplicate on {@code Idempotency-Key}.
 */
final class Webhook {
  private static final int TRIES = 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI url;
  private final String authorization;
  private final String shown;
  private final HttpClient client;
  private final ObjectMapper json;

  Webhook(URI url, HttpClient client, ObjectMapper json) {
    // user:password@ in the URL becomes Basic auth: HttpClient would not send it by itself
    this.authorization = url.getRawUserInfo() == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString(URLDecoder.decode(url.getRawUserInfo(), StandardCharsets.UTF_8)
            .getBytes(StandardCharsets.UTF_8));
    this.url = withoutUserInfo(url);
    this.shown = Redaction.url(url.toString());
    this.client = client;
    this.json = json;
  }

  private static URI withoutUserInfo(URI url) {
    try {
      return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(),
          url.getQuery(), null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + Redaction.url(url.toString()),
          e);
    }
  }

  /** The URL as it may appear in logs. */
  String shown() {
    return shown;
  }

  /**
   * Delivers {@code event}.
   *
   * @throws IllegalStateException when every try failed, saying how the last one ended
   */
  void deliver(Map<String, Object> event) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(TIMEOUT);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpRequest request = b
        .header("Content-Type", "application/json")
        .header("X-Errand-Event", String.valueOf(event.get("event")))
        .header("Idempotency-Key", "errand-" + event.get("task_id") + "-" + event.get("type")
            + "-" + event.get("attempt") + "-" + event.get("seq"))
        .POST(HttpRequest.BodyPublishers.ofString(body(event))).build();
    String last = "";
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      try {
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          return;
        }
        last = "answered " + status;
        if (status < 500 && status != 429) {
          break;
        }
      } catch (IOException e) {
        last = "could not be reached (" + e.getClass().getSimpleName() + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("webhook " + shown + " was interrupted");
      }
      if (attempt < TRIES) {
        LockSupport.parkNanos(Duration.ofSeconds(attempt == 1 ? 1 : 4).toNanos()); // back off
      }
    }
    throw new IllegalStateException("webhook " + shown + " " + last + "; event "
        + event.get("event") + " not delivered");
  }

  private String body(Map<String, Object> event) {
    try {
      return json.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event cannot be written as JSON: " + e.getMessage(), e);
    }
  }
}
