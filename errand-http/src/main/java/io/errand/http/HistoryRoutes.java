package io.errand.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.Errand;
import io.errand.api.HistoryBucket;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/history}: what each queue did over the last hour (60 points of a minute) or
 * day (96 points of 15 minutes), summed over every node of a shared store. Every point is
 * there, zeros included, so a chart draws them as they come; a point of the current span is
 * still filling.
 */
final class HistoryRoutes {
  /** A span of history the dashboard draws: how many points of which step. */
  enum Range {
    HOUR(Duration.ofMinutes(1), 60),
    DAY(Duration.ofMinutes(15), 96);

    final Duration step;
    final int points;

    Range(Duration step, int points) {
      this.step = step;
      this.points = points;
    }
  }

  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  HistoryRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.get("/api/history", this::history);
  }

  private void history(Context ctx) {
    Params.only(ctx, List.of("range", "queue"));
    Range range = range(Params.query(ctx, "range"));
    String queue = Params.query(ctx, "queue");
    if (queue != null) {
      Lookups.queue(errand, queue);
    }
    long stepMs = range.step.toMillis();
    long last = Math.floorDiv(Instant.now().toEpochMilli(), stepMs) * stepMs;
    Instant from = Instant.ofEpochMilli(last - (range.points - 1) * stepMs);
    Instant to = Instant.ofEpochMilli(last + stepMs);
    Map<String, HistoryBucket> read = new HashMap<>();
    for (HistoryBucket b : errand.history(queue, from, to, range.step)) {
      read.put(b.queue() + '\n' + b.start().toEpochMilli(), b);
    }
    ObjectNode n = views.object().put("range", range.name().toLowerCase(Locale.ROOT))
        .put("step_seconds", range.step.toSeconds()).put("from", from.toString())
        .put("to", to.toString());
    ArrayNode queues = n.putArray("queues");
    for (String q : queue == null ? errand.queues() : List.of(queue)) {
      ObjectNode qn = queues.addObject().put("queue", q);
      ArrayNode points = qn.putArray("points");
      for (int i = 0; i < range.points; i++) {
        long at = from.toEpochMilli() + i * stepMs;
        HistoryBucket b = read.getOrDefault(q + '\n' + at,
            HistoryBucket.empty(q, Instant.ofEpochMilli(at)));
        points.add(point(b));
      }
    }
    json.write(ctx, 200, n);
  }

  private ObjectNode point(HistoryBucket b) {
    return views.object().put("at", b.start().toString()).put("succeeded", b.succeeded())
        .put("failed", b.failed()).put("started", b.started())
        .put("wait_ms_avg", b.started() == 0 ? 0 : b.waitMillis() / b.started())
        .put("wait_ms_max", b.waitMaxMillis())
        .put("run_ms_avg", b.ran() == 0 ? 0 : b.runMillis() / b.ran())
        .put("run_ms_max", b.runMaxMillis());
  }

  private static Range range(String raw) {
    if (raw == null) {
      return Range.HOUR;
    }
    try {
      return Range.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Params.invalidQuery("query parameter 'range' must be hour or day, got '"
          + JsonBodies.abbreviate(raw, 20) + "'");
    }
  }
}
