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
 * a time, newest first, so the server holds one page in memory. A filter needs
 * {@code expected}, the count the person confirmed: when more match now, nothing is done (409),
 * so a confirmation of 30 never acts on 30,000.
 *
 * <p>A filter's walk is <b>paged across requests</b>: one request acts on at most
 * {@code limit} tasks (default {@value #DEFAULT_PER_CALL}) and for at most
 * {@link #TIME_BUDGET_NANOS 2 s}, then answers {@code next_cursor}; the caller sends the same
 * request with that {@code cursor} until it is 0, showing the progress in between. Why not an
 * asynchronous job with a status route: a job lives on the node that took it, so on a cluster
 * behind a load balancer its status would be asked of the wrong node, and a node that stops
 * loses it; a cursor holds the whole state, any node continues it, and no request is held for
 * minutes (100,000 retries are about 50 requests).
 */
final class BulkRoutes {
  /** The most ids one selection may name. */
  static final int MAX_IDS = 1000;
  /** The most tasks of a filter one request acts on, unless its {@code limit} says fewer. */
  static final int DEFAULT_PER_CALL = 5_000;
  /** The most a request's {@code limit} may be. */
  static final int MAX_PER_CALL = 50_000;
  /** How long one request walks a filter before it answers with the cursor to go on from. */
  static final long TIME_BUDGET_NANOS = 2_000_000_000L;
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
        List.of("action", "ids", "filter", "expected", "reason", "cursor", "limit"));
    Action action = action(body.optionalString("action", 20));
    String reason = body.optionalString("reason", 1000);
    String why = reason == null || reason.isBlank() ? "cancelled in bulk through the API" : reason;
    if (body.has("ids") == body.has("filter")) {
      throw Body.invalid("give either 'ids' (a selection) or 'filter' (every matching task),"
          + " not " + (body.has("ids") ? "both" : "neither") + "; e.g. " + EXAMPLE);
    }
    Tally tally = new Tally();
    long cursor = 0;
    if (body.has("ids")) {
      if (body.has("cursor") || body.has("limit")) {
        throw Body.invalid("'cursor' and 'limit' go with a 'filter', not with 'ids'");
      }
      for (long id : ids(body.required("ids"))) {
        errand.get(id).ifPresentOrElse(t -> apply(action, t, why, tally), () -> tally.skipped++);
      }
    } else {
      TaskFilter filter = filter(body.required("filter"));
      cursor = body.optionalLong("cursor", 1, Long.MAX_VALUE, 0);
      long limit = body.optionalLong("limit", 1, MAX_PER_CALL, DEFAULT_PER_CALL);
      if (cursor == 0) { // the first request of a walk: the confirmation is checked once
        long expected = body.requiredLong("expected", 0, Long.MAX_VALUE);
        long now = errand.count(filter);
        if (now > expected) {
          throw new ApiException(409, "count_changed", now + " tasks match the filter now,"
              + " more than the " + expected + " confirmed; nothing was done. Count again (GET"
              + " /api/search/count) and confirm that number");
        }
      }
      cursor = walk(filter, cursor, limit, action, why, tally);
    }
    ObjectNode n = views.object().put("action", action.name().toLowerCase(Locale.ROOT))
        .put("matched", tally.done + tally.skipped).put("done", tally.done)
        .put("skipped", tally.skipped).put("next_cursor", cursor);
    json.write(ctx, 200, n);
  }

  /**
   * Acts on the tasks matching {@code filter} older than {@code cursor} (0: from the newest),
   * whole pages newest first, until {@code limit} tasks or the time budget are used; returns
   * the cursor to go on from, 0 when none is left. Tasks a retry makes are newer than the
   * cursor, so a walk never meets them.
   */
  private long walk(TaskFilter filter, long cursor, long limit, Action action, String why,
      Tally tally) {
    long started = System.nanoTime();
    long walked = 0;
    long next = cursor;
    do {
      int size = (int) Math.min(TaskQuery.MAX_LIMIT, limit - walked);
      Page<TaskInfo> page = errand.search(filter, size, next);
      page.items().forEach(t -> apply(action, t, why, tally));
      walked += page.items().size();
      next = page.nextCursor();
    } while (next != 0 && walked < limit && System.nanoTime() - started < TIME_BUDGET_NANOS);
    return next;
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
