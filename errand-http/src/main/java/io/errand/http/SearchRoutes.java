package io.errand.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.Errand;
import io.errand.api.FailureGroup;
import io.errand.api.InvalidTaskException;
import io.errand.api.Page;
import io.errand.api.TaskFilter;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finding tasks for the people operating them: {@code GET /api/search} (a page of tasks by
 * text, queue, status and creation time), {@code GET /api/search/count} and
 * {@code GET /api/failures} (failed tasks grouped by the error they ended with). Each is one
 * query in the store, so its cost does not grow with what the caller holds.
 */
final class SearchRoutes {
  /** The query parameters of a filter, as every route here and the bulk route take them. */
  static final List<String> FILTER = List.of("queue", "status", "q", "from", "to");

  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  SearchRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.get("/api/search", this::search);
    app.get("/api/search/count", this::count);
    app.get("/api/failures", this::failures);
  }

  private void search(Context ctx) {
    Params.only(ctx, concat(FILTER, "limit", "cursor"));
    TaskFilter filter = filter(errand, ctx);
    int limit = (int) Params.queryLong(ctx, "limit", 1, TaskQuery.MAX_LIMIT,
        TaskRoutes.DEFAULT_LIMIT);
    long cursor = Params.queryLong(ctx, "cursor", 0, Long.MAX_VALUE, 0);
    Page<TaskInfo> page = errand.search(filter, limit, cursor);
    json.write(ctx, 200, views.taskPage(page));
  }

  private void count(Context ctx) {
    Params.only(ctx, FILTER);
    json.write(ctx, 200, views.object().put("count", errand.count(filter(errand, ctx))));
  }

  private void failures(Context ctx) {
    Params.only(ctx, concat(List.of("queue", "q", "from", "to"), "limit"));
    TaskFilter filter = filter(errand, ctx);
    int limit = (int) Params.queryLong(ctx, "limit", 1, TaskQuery.MAX_LIMIT,
        TaskRoutes.DEFAULT_LIMIT);
    ObjectNode n = views.object();
    ArrayNode groups = n.putArray("groups");
    for (FailureGroup g : errand.failures(filter, limit)) {
      groups.add(views.object().put("type", g.type()).put("message", g.message())
          .put("count", g.count()).put("latest_task", g.latestTask())
          .put("latest_at", g.latestAt() == null ? null : g.latestAt().toString()));
    }
    json.write(ctx, 200, n);
  }

  /**
   * The filter the query parameters {@link #FILTER} give; 400 naming a bad one, 404 for an
   * unknown queue (a typo must not read as "nothing matches").
   */
  static TaskFilter filter(Errand errand, Context ctx) {
    String queue = Params.query(ctx, "queue");
    if (queue != null) {
      Lookups.queue(errand, queue);
    }
    TaskStatus status = TaskRoutes.status(Params.query(ctx, "status"));
    String text = Params.query(ctx, "q");
    Instant from = instant(Params.query(ctx, "from"), "from");
    Instant to = instant(Params.query(ctx, "to"), "to");
    try {
      return new TaskFilter(queue, status, text, from, to);
    } catch (InvalidTaskException e) {
      throw Params.invalidQuery("query parameters: " + e.getMessage());
    }
  }

  private static Instant instant(String raw, String name) {
    if (raw == null) {
      return null;
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw Params.invalidQuery("query parameter '" + name + "' must be an ISO-8601 time in UTC,"
          + " e.g. 2026-12-07T22:00:00Z, got '" + JsonBodies.abbreviate(raw, 40) + "'");
    }
  }

  private static List<String> concat(List<String> names, String... more) {
    return Stream.concat(names.stream(), Arrays.stream(more)).toList();
  }
}
