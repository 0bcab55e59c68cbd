package io.errand.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.BatchStatus;
import io.errand.api.Errand;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** A batch's aggregate status: {@code GET /api/batches/{group}}. */
final class BatchRoutes {
  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  BatchRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.get("/api/batches/{group}", this::get);
  }

  /**
   * Counts by status, and {@code progress}: the fraction of the batch's work done, from 0 to 1,
   * where a finished task counts whole and a running one by its own progress, so a batch of
   * one long clone still moves. {@code running} lists the running tasks with their progress.
   */
  private void get(Context ctx) {
    Params.only(ctx, List.of());
    long group = group(ctx.pathParam("group"));
    BatchStatus b = errand.batch(group).orElseThrow(() -> new ApiException(404,
        "unknown_batch", "there is no batch " + group + " (it never existed, or its tasks were"
            + " removed after their queue's retention)"));
    List<TaskInfo> running = running(group);
    double done = b.finished() + running.stream().mapToDouble(TaskInfo::fraction).sum();
    ObjectNode n = views.object();
    n.put("group", group);
    n.put("total", b.total());
    n.put("finished", b.finished());
    n.put("done", b.isFinished());
    n.put("progress", b.total() == 0 ? 1.0 : Math.min(1.0, done / b.total()));
    ObjectNode counts = n.putObject("counts");
    counts.put("waiting", b.waiting());
    counts.put("running", b.running());
    counts.put("succeeded", b.succeeded());
    counts.put("failed", b.failed());
    counts.put("cancelled", b.cancelled());
    ArrayNode tasks = n.putArray("running");
    running.forEach(t -> tasks.addObject().put("id", t.id()).put("queue", t.queue())
        .put("current", t.current()).put("total", t.total()).put("message", t.message()));
    json.write(ctx, 200, n);
  }

  /**
   * The group's running tasks. The store has no query by group, but running tasks are few (at
   * most the queues' workers), so reading them all and keeping the group's is cheap.
   */
  private List<TaskInfo> running(long group) {
    return errand.list(new TaskQuery(null, TaskStatus.RUNNING, TaskQuery.MAX_LIMIT, 0)).items()
        .stream().filter(t -> t.group() == group).toList();
  }

  private static long group(String raw) {
    long g = Params.whole(raw).orElse(0);
    if (g > 0) {
      return g;
    }
    throw ApiException.badRequest("invalid_id", "'" + JsonBodies.abbreviate(raw, 40)
        + "' is not a batch group; groups are positive whole numbers in ASCII digits, without"
        + " sign or leading zero, as a batch submit answers");
  }
}
