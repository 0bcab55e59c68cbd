package io.errand.server.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.errand.api.DurationText;
import io.errand.api.NonRetryableException;
import io.errand.api.TaskContext;
import io.errand.api.TaskHandler;
import io.errand.common.Redaction;
import io.errand.common.Secret;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt of an http task: sends the task's args as JSON to the configured URL and
 * turns the answer into a result, a retryable failure or a final one. A stop (cancel, time-out,
 * shutdown) cancels the exchange, which closes its connection.
 */
final class HttpHandler implements TaskHandler<Object, Object> {
  private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);
  /** The largest 2xx body taken as a result: results live in task records. */
  static final int MAX_RESULT_BYTES = 1 << 20;
  /** What is read of any other body, for the error message. */
  private static final int ERROR_BODY_BYTES = 4096;
  private static final int SNIPPET_CHARS = 300;

  private final HttpClient client;
  private final HttpTarget target;
  private final String method;
  private final Map<String, Secret> headers;
  private final Duration timeout;
  private final List<String> secrets;

  HttpHandler(HttpClient client, HttpTarget target, String method, Map<String, Secret> headers,
      Duration timeout) {
    this.client = client;
    this.target = target;
    this.method = method;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
    List<String> s = new ArrayList<>(target.secrets());
    headers.values().forEach(v -> s.add(v.reveal()));
    this.secrets = List.copyOf(s);
  }

  @Override
  public Object run(TaskContext<Object> ctx) throws Exception {
    HttpRequest request = request(ctx);
    ctx.checkpoint();
    CompletableFuture<HttpResponse<BoundedBody.Bytes>> exchange = client.sendAsync(request,
        BoundedBody.handler(MAX_RESULT_BYTES, ERROR_BODY_BYTES));
    // cancel(true) aborts the exchange (the JDK closes an HTTP/1.1 connection, resets an HTTP/2
    // stream); the engine calls this before it interrupts us.
    ctx.onCancel(() -> exchange.cancel(true));
    HttpResponse<BoundedBody.Bytes> response;
    try {
      // The request's own timeout ends at the response headers; this bounds the body too.
      response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      ctx.checkpoint();
      throw e;
    } catch (CancellationException e) {
      ctx.checkpoint();
      throw new IOException(prefix() + "was cancelled");
    } catch (TimeoutException e) {
      exchange.cancel(true);
      ctx.checkpoint();
      throw timedOut();
    } catch (ExecutionException e) {
      ctx.checkpoint();
      throw failed(e.getCause());
    }
    log.debug("task {} attempt {}: {}answered {}", ctx.id(), ctx.attempt(), prefix(),
        response.statusCode());
    return answer(response);
  }

  private HttpRequest request(TaskContext<Object> ctx) {
    byte[] body;
    try {
      body = JsonValues.write(ctx.args());
    } catch (JsonProcessingException e) {
      throw new NonRetryableException("the task's args cannot be sent as JSON: "
          + e.getOriginalMessage());
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(target.uri())
        .timeout(timeout)
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json")
        .header("X-Errand-Task-Id", Long.toString(ctx.id()))
        .header("X-Errand-Attempt", Integer.toString(ctx.attempt()))
        .header("Idempotency-Key", "errand-" + ctx.id());
    if (target.plain()) {
      // Plain http would otherwise try an h2c upgrade, which some servers mishandle.
      b.version(HttpClient.Version.HTTP_1_1);
    }
    if (target.authorization() != null) {
      b.header("Authorization", target.authorization().reveal());
    }
    headers.forEach((k, v) -> b.header(k, v.reveal()));
    return b.build();
  }

  private Object answer(HttpResponse<BoundedBody.Bytes> response) throws IOException {
    int status = response.statusCode();
    BoundedBody.Bytes body = response.body();
    Optional<String> type = response.headers().firstValue("Content-Type");
    if (status / 100 == 2) {
      if (body.truncated()) {
        throw new NonRetryableException(prefix() + "answered " + status + " with a body over "
            + MAX_RESULT_BYTES / 1024 + " KiB, too large for a result");
      }
      // A server may echo the request back (echo services do): the result is stored and shown.
      return scrubbed(result(body.data(), type));
    }
    String snippet = snippet(body, type);
    String text = prefix() + "answered HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet);
    if (status >= 500 || status == 429 || status == 408) {
      throw new HttpStatusException(status, text);
    }
    if (status / 100 == 3) {
      text += " (redirects are not followed"
          + response.headers().firstValue("Location")
              .map(l -> "; it points to " + Redaction.scrub(Redaction.url(l), secrets))
              .orElse("")
          + ")";
    }
    throw new NonRetryableException(text);
  }

  /** A 2xx body as a result: JSON as plain values, nothing as null, anything else as text. */
  private static Object result(byte[] data, Optional<String> type) {
    String text = new String(data, charset(type));
    if (text.isBlank()) {
      return null;
    }
    boolean json = type.map(t -> t.toLowerCase(Locale.ROOT).contains("json")).orElse(true);
    if (json) {
      try {
        return JsonValues.parse(text);
      } catch (JsonProcessingException e) {
        // Declared (or guessed) JSON that is not: the text is still the answer.
        log.debug("a response said it was JSON but was not: {}", e.getOriginalMessage());
      }
    }
    return text;
  }

  /** {@code value} with the secrets masked in every text of it, map keys included. */
  private Object scrubbed(Object value) {
    return Redaction.scrubValue(value, secrets);
  }

  private String snippet(BoundedBody.Bytes body, Optional<String> type) {
    String text = new String(body.data(), charset(type)).strip().replaceAll("\\s+", " ");
    boolean cut = body.truncated();
    if (text.length() > SNIPPET_CHARS) {
      text = text.substring(0, SNIPPET_CHARS);
      cut = true;
    }
    // A server may echo the request back, Authorization header and all.
    return Redaction.scrub(text, secrets) + (cut ? "…" : "");
  }

  private static Charset charset(Optional<String> type) {
    if (type.isPresent()) {
      for (String part : type.get().split(";")) {
        String p = part.trim();
        if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
          try {
            return Charset.forName(p.substring(8).replace("\"", "").trim());
          } catch (IllegalArgumentException e) {
            break;
          }
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  private IOException timedOut() {
    return new HttpTimeoutException(prefix() + "timed out after " + DurationText.format(timeout));
  }

  private IOException failed(Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      return new HttpConnectTimeoutException(prefix() + "could not connect within "
          + DurationText.format(timeout));
    }
    if (cause instanceof HttpTimeoutException) {
      return timedOut();
    }
    // The cause is not chained: JDK messages may quote the URL, and a chained cause is printed
    // whole wherever the exception is logged. Its class and scrubbed message are kept instead.
    StringBuilder why = new StringBuilder();
    for (Throwable t = cause; t != null && why.length() < 500; t = t.getCause()) {
      if (!why.isEmpty()) {
        why.append(": ");
      }
      why.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        why.append(" ").append(Redaction.scrub(t.getMessage(), secrets));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return new IOException(prefix() + "failed: " + why);
  }

  private String prefix() {
    return method + " " + target.shown() + " ";
  }
}
