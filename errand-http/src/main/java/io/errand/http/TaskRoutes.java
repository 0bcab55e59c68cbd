package io.errand.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.CancelResult;
import io.errand.api.Errand;
import io.errand.api.Page;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.Submitted;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One task or many: {@code /api/tasks/...}. */
final class TaskRoutes {
  static final int DEFAULT_LIMIT = 50;
  private static final String PROGRESS_EXAMPLE =
      "{\"current\": 40, \"total\": 100, \"message\": \"copying\"}";

  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  TaskRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.get("/api/tasks", this::list);
    app.get("/api/tasks/{id}", this::get);
    app.delete("/api/tasks/{id}", this::delete);
    app.post("/api/tasks/{id}/cancel", this::cancel);
    app.post("/api/tasks/{id}/progress", this::progress);
    app.post("/api/tasks/{id}/retry", this::retry);
  }

  private void get(Context ctx) {
    Params.only(ctx, List.of());
    TaskInfo t = find(Params.id(ctx, "id"));
    ObjectNode n = views.task(t);
    if (t.status() == TaskStatus.WAITING && errand.queues().contains(t.queue())
        && (t.runAt() == null || !t.runAt().isAfter(Instant.now()))) {
      // Due, yet waiting: say so when a pause, a concurrency or a rate limit holds it back.
      n.put("held_back", errand.control(t.queue()).holdReason(t).orElse(null));
    }
    json.write(ctx, 200, n);
  }

  /** Newest first; {@code next_cursor} is the {@code cursor} of the next page, or null. */
  private void list(Context ctx) {
    Params.only(ctx, List.of("queue", "status", "limit", "cursor"));
    String queue = Params.query(ctx, "queue");
    if (queue != null) {
      Lookups.queue(errand, queue); // a typo is a 404 naming the queues, not an empty page
    }
    TaskStatus status = status(Params.query(ctx, "status"));
    int limit = (int) Params.queryLong(ctx, "limit", 1, TaskQuery.MAX_LIMIT, DEFAULT_LIMIT);
    long cursor = Params.queryLong(ctx, "cursor", 0, Long.MAX_VALUE, 0);
    Page<TaskInfo> page = errand.list(new TaskQuery(queue, status, limit, cursor));
    json.write(ctx, 200, views.taskPage(page));
  }

  private void cancel(Context ctx) {
    Params.only(ctx, List.of());
    long id = Params.id(ctx, "id");
    Body body = Body.of(json.object(ctx, false, "{\"reason\": \"not needed any more\"}"),
        List.of("reason"));
    String reason = body.optionalString("reason", 1000);
    CancelResult r = errand.cancel(id, reason == null || reason.isBlank()
        ? "cancelled through the API" : reason);
    if (r instanceof CancelResult.Unknown) {
      throw unknown(id);
    }
    json.write(ctx, 200, views.cancel(r));
  }

  /** Cancels a live task, then forgets it: 204, or 404 if there was none. */
  private void delete(Context ctx) {
    Params.only(ctx, List.of());
    long id = Params.id(ctx, "id");
    if (!errand.delete(id)) {
      throw unknown(id);
    }
    ctx.status(204);
  }

  /**
   * Progress from an external worker. Fields left out keep their value, so a worker may send
   * only {@code current}. 409 unless the task is running.
   */
  private void progress(Context ctx) {
    Params.only(ctx, List.of());
    long id = Params.id(ctx, "id");
    Body body = Body.of(json.object(ctx, true, PROGRESS_EXAMPLE),
        List.of("current", "total", "message"));
    long current = body.requiredLong("current", 0, Long.MAX_VALUE);
    TaskInfo task = find(id);
    long total = body.optionalLong("total", 0, Long.MAX_VALUE, task.total());
    String message = body.has("message") ? body.optionalString("message", 4096) : task.message();
    if (task.status() != TaskStatus.RUNNING
        || !errand.reportProgress(id, current, total, message)) {
      TaskStatus now = errand.get(id).map(TaskInfo::status).orElse(task.status());
      throw new ApiException(409, "task_not_running", "task " + id + " is " + now
          + "; progress is taken only while a task is RUNNING");
    }
    ctx.status(204);
  }

  /**
   * Runs a finished task again: its queue, arguments, priority and key are submitted as a new
   * task, answered {@code 201 {id, status, retry_of}}. With a key that a live task of the queue
   * holds now, that task is answered instead ({@code 200}, {@code "created": false}), as a
   * submit with that key would be. 409 while the task itself is live.
   */
  private void retry(Context ctx) {
    Params.only(ctx, List.of());
    long id = Params.id(ctx, "id");
    Body.of(json.object(ctx, false, "{}"), List.of());
    TaskInfo task = find(id);
    if (task.status().isLive()) {
      throw new ApiException(409, "task_not_finished", "task " + id + " is " + task.status()
          + "; only a finished task (SUCCESS, FAILURE or CANCELLED) can be retried: wait for"
          + " it to end, or cancel it first (POST /api/tasks/" + id + "/cancel)");
    }
    QueueSpec<?, ?> spec = Lookups.queue(errand, task.queue());
    Submitted s = errand.submitOrFind(spec.name(), task.args(),
        new SubmitOptions(null, null, task.priority(), task.key()));
    json.write(ctx, s.created() ? 201 : 200,
        QueueRoutes.submitted(ctx, errand, views, s).put("retry_of", id));
  }

  private TaskInfo find(long id) {
    return errand.get(id).orElseThrow(() -> unknown(id));
  }

  static ApiException unknown(long id) {
    return new ApiException(404, "unknown_task", "there is no task " + id
        + " (it never existed, or it was removed after its queue's retention)");
  }

  static TaskStatus status(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return TaskStatus.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Params.invalidQuery("query parameter 'status' must be one of "
          + Arrays.toString(TaskStatus.values()) + ", got '" + JsonBodies.abbreviate(raw, 40)
          + "'");
    }
  }
}
