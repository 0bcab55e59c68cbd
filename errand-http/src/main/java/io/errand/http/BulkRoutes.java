package io.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.CancelResult;
import io.errand.api.Errand;
import io.errand.api.ErrandException;
import io.errand.api.InvalidTaskException;
import io.errand.api.Page;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskFilter;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/bulk}: retry, cancel or delete the tasks of a selection ({@code ids}) or
 * every task matching a filter ({@code filter}). The server walks the matching tasks a page at
 * a time, newest first, so 100,000 matches cost the caller one request and the server one page
 * in memory. A filter needs {@code expected}, the count the person confirmed: when more match
 * now, nothing is done (409), so a confirmation of 30 never acts on 30,000.
 */
final class BulkRoutes {
  /** The most ids one selection may name. */
  static final int MAX_IDS = 1000;
  private static final String EXAMPLE = "{\"action\": \"retry\", \"filter\": {\"queue\": "
      + "\"mail\", \"status\": \"FAILURE\", \"q\": \"timed out\"}, \"expected\": 300}";

  /** What a bulk request does to each task. */
  enum Action { RETRY, CANCEL, DELETE }

  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  BulkRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.post("/api/bulk", this::bulk);
  }

  private void bulk(Context ctx) {
    Params.only(ctx, List.of());
    Body body = Body.of(json.object(ctx, true, EXAMPLE),
        List.of("action", "ids", "filter", "expected", "reason"));
    Action action = action(body.optionalString("action", 20));
    String reason = body.optionalString("reason", 1000);
    String why = reason == null || reason.isBlank() ? "cancelled in bulk through the API" : reason;
    if (body.has("ids") == body.has("filter")) {
      throw Body.invalid("give either 'ids' (a selection) or 'filter' (every matching task),"
          + " not " + (body.has("ids") ? "both" : "neither") + "; e.g. " + EXAMPLE);
    }
    Tally tally = new Tally();
    if (body.has("ids")) {
      for (long id : ids(body.required("ids"))) {
        errand.get(id).ifPresentOrElse(t -> apply(action, t, why, tally), () -> tally.skipped++);
      }
    } else {
      TaskFilter filter = filter(body.required("filter"));
      long expected = body.requiredLong("expected", 0, Long.MAX_VALUE);
      long now = errand.count(filter);
      if (now > expected) {
        throw new ApiException(409, "count_changed", now + " tasks match the filter now, more"
            + " than the " + expected + " confirmed; nothing was done. Count again (GET"
            + " /api/search/count) and confirm that number");
      }
      long cursor = 0;
      do {
        Page<TaskInfo> page = errand.search(filter, TaskQuery.MAX_LIMIT, cursor);
        page.items().forEach(t -> apply(action, t, why, tally));
        cursor = page.nextCursor();
      } while (cursor != 0);
    }
    ObjectNode n = views.object().put("action", action.name().toLowerCase(Locale.ROOT))
        .put("matched", tally.done + tally.skipped).put("done", tally.done)
        .put("skipped", tally.skipped);
    json.write(ctx, 200, n);
  }

  /** Counts of what a bulk request did and left. */
  private static final class Tally {
    long done;
    long skipped;
  }

  /**
   * Acts on one task. A task the action does not apply to (a live task to retry, a finished one
   * to cancel, a queue no longer configured) is skipped and counted, never an error: in a set
   * of thousands some always moved on since they were counted.
   */
  private void apply(Action action, TaskInfo t, String reason, Tally tally) {
    boolean done = switch (action) {
      case RETRY -> !t.status().isLive() && errand.queues().contains(t.queue()) && retried(t);
      case CANCEL -> t.status().isLive()
          && !(errand.cancel(t.id(), reason) instanceof CancelResult.Unknown);
      case DELETE -> errand.delete(t.id());
    };
    if (done) {
      tally.done++;
    } else {
      tally.skipped++;
    }
  }

  private boolean retried(TaskInfo t) {
    try {
      errand.submitOrFind(t.queue(), t.args(), new SubmitOptions(null, null, t.priority(),
          t.key()));
      return true;
    } catch (InvalidTaskException e) {
      return false; // its arguments no longer read as the queue's type
    } catch (ErrandException e) {
      if ("queue_full".equals(e.code())) {
        throw new ApiException(429, "queue_full", "queue '" + t.queue() + "' is full; the"
            + " tasks before task " + t.id() + " were retried, it and the rest were not: "
            + e.getMessage());
      }
      throw e;
    }
  }

  private static Action action(String raw) {
    if (raw == null) {
      throw Body.invalid("field 'action' is missing; it is one of retry, cancel, delete");
    }
    try {
      return Action.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Body.invalid("field 'action' must be one of retry, cancel, delete, got '"
          + JsonBodies.abbreviate(raw, 20) + "'");
    }
  }

  private static List<Long> ids(JsonNode v) {
    if (!v.isArray() || v.isEmpty() || v.size() > MAX_IDS) {
      throw Body.invalid("field 'ids' must be an array of 1 to " + MAX_IDS + " task ids, was "
          + (v.isArray() ? "an array of " + v.size() : Body.kind(v)));
    }
    List<Long> ids = new ArrayList<>(v.size());
    for (JsonNode id : v) {
      if (!id.canConvertToExactIntegral() || !id.canConvertToLong() || id.asLong() < 1) {
        throw Body.invalid("field 'ids' must hold positive whole numbers, got " + id);
      }
      ids.add(id.asLong());
    }
    return ids;
  }

  private TaskFilter filter(JsonNode f) {
    if (!f.isObject()) {
      throw Body.invalid("field 'filter' must be an object with any of " + SearchRoutes.FILTER
          + ", was " + Body.kind(f));
    }
    Body b = Body.of((ObjectNode) f, SearchRoutes.FILTER);
    String queue = b.optionalString("queue", 200);
    if (queue != null) {
      Lookups.queue(errand, queue);
    }
    TaskStatus status = statusOf(b.optionalString("status", 20));
    try {
      return new TaskFilter(queue, status, b.optionalString("q", TaskFilter.MAX_TEXT),
          time(b.optionalString("from", 40), "from"), time(b.optionalString("to", 40), "to"));
    } catch (InvalidTaskException e) {
      throw Body.invalid("field 'filter': " + e.getMessage());
    }
  }

  private static TaskStatus statusOf(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return TaskStatus.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Body.invalid("field 'filter.status' must be one of WAITING, RUNNING, SUCCESS,"
          + " FAILURE, CANCELLED, got '" + JsonBodies.abbreviate(raw, 20) + "'");
    }
  }

  private static Instant time(String raw, String name) {
    if (raw == null) {
      return null;
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw Body.invalid("field 'filter." + name + "' must be an ISO-8601 time in UTC, e.g."
          + " 2026-12-07T22:00:00Z, got '" + JsonBodies.abbreviate(raw, 40) + "'");
    }
  }
}
