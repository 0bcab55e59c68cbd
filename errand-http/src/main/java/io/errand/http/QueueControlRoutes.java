package io.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.Errand;
import io.errand.api.QueueControl;
import io.errand.api.QueueControl.DrainReport;
import io.errand.api.DurationText;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;

/**
 * Pause, resume and drain of a queue: {@code POST /api/queues/{queue}/pause|resume|drain}. Each
 * answers the queue's pause state; a drain also says whether nothing of the queue ran when it
 * returned.
 */
final class QueueControlRoutes {
  /** The longest a drain request waits: a request must not hang a client for longer. */
  static final Duration LONGEST_DRAIN = Duration.ofMinutes(10);
  /** How long a drain waits when its body names no {@code timeout}. */
  static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);
  private static final String DRAIN_EXAMPLE = "{\"timeout\": \"30s\"}";
  private static final String DRAIN_RANGE = "a duration from 0 to 10m, like \"30s\" or \"2m\", "
      + "or a number of milliseconds";

  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  QueueControlRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.post("/api/queues/{queue}/pause", ctx -> {
      QueueControl c = control(ctx);
      answer(ctx, c, c.pause());
    });
    app.post("/api/queues/{queue}/resume", ctx -> {
      QueueControl c = control(ctx);
      answer(ctx, c, c.resume());
    });
    app.post("/api/queues/{queue}/drain", this::drain);
  }

  private QueueControl control(Context ctx) {
    Params.only(ctx, List.of());
    return errand.control(Lookups.queue(errand, ctx.pathParam("queue")).name());
  }

  private void answer(Context ctx, QueueControl c, boolean changed) {
    ObjectNode n = state(c);
    n.put("changed", changed);
    json.write(ctx, 200, n);
  }

  private ObjectNode state(QueueControl c) {
    ObjectNode n = views.object();
    n.put("queue", c.queue());
    views.pauseState(n, c);
    return n;
  }

  private void drain(Context ctx) {
    QueueControl c = control(ctx);
    Body body = Body.of(json.object(ctx, false, DRAIN_EXAMPLE), List.of("timeout"));
    Duration timeout = timeout(body.has("timeout") ? body.required("timeout") : null);
    DrainReport report = c.drain(timeout);
    ObjectNode n = state(c);
    n.put("drained", report.drained());
    n.put("running", report.running());
    n.put("waited_ms", report.waited().toMillis());
    json.write(ctx, 200, n);
  }

  /** The drain's {@code timeout}: {@link #DEFAULT_DRAIN} when absent, refused out of range. */
  private static Duration timeout(JsonNode v) {
    if (v == null) {
      return DEFAULT_DRAIN;
    }
    Duration d;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      d = Duration.ofMillis(v.longValue());
    } else if (v.isTextual()) {
      try {
        d = DurationText.parse(v.textValue());
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw Body.invalid("field 'timeout' must be " + DRAIN_RANGE + ": " + e.getMessage());
      }
    } else {
      throw Body.invalid("field 'timeout' must be " + DRAIN_RANGE + ", got " + Body.kind(v));
    }
    if (d.isNegative() || d.compareTo(LONGEST_DRAIN) > 0) {
      throw Body.invalid("field 'timeout' must be " + DRAIN_RANGE + ", got " + Body.kind(v));
    }
    return d;
  }
}
