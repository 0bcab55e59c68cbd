package io.errand.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.BatchRef;
import io.errand.api.Cluster;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.SubmitOptions;
import io.errand.api.Submitted;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.api.TaskQuery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Health, queues, and adding tasks: {@code /api/health}, {@code /api/queues/...}. */
final class QueueRoutes {
  private static final List<String> SUBMIT_FIELDS =
      List.of("args", "delay", "run_at", "key", "priority");
  private static final String SUBMIT_EXAMPLE = "{\"args\": {\"to\": \"ada@example.com\"}}";
  private static final String BATCH_EXAMPLE = "{\"tasks\": [{\"n\": 1}, {\"n\": 2}]}";

  private final Errand errand;
  private final JsonBodies json;
  private final Views views;

  QueueRoutes(Errand errand, JsonBodies json, Views views) {
    this.errand = errand;
    this.json = json;
    this.views = views;
  }

  void register(RoutesConfig app) {
    app.get("/api/health", this::health);
    app.get("/api/queues", this::list);
    app.get("/api/queues/{queue}", this::get);
    app.post("/api/queues/{queue}/tasks", this::submit);
    app.post("/api/queues/{queue}/batches", this::batch);
  }

  /** 200 when Errand takes tasks and its store answers; 503 otherwise, so probes see it. */
  private void health(Context ctx) {
    Params.only(ctx, List.of());
    ObjectNode n = views.object();
    boolean shuttingDown = errand.isShuttingDown();
    n.put("status", shuttingDown ? "shutting_down" : "ok");
    boolean storeOk = true;
    try {
      errand.list(TaskQuery.newest(1)); // one cheap read: the store answers
      n.put("store", "ok");
    } catch (RuntimeException e) {
      storeOk = false;
      n.put("store", "unavailable");
      n.put("store_error", JsonBodies.abbreviate(e.getMessage(), 300));
    }
    n.put("queues", errand.queues().size());
    n.put("supervisors", errand.supervisors().size());
    json.write(ctx, !shuttingDown && storeOk ? 200 : 503, n);
  }

  private void list(Context ctx) {
    Params.only(ctx, List.of());
    ObjectNode n = views.object();
    ArrayNode queues = n.putArray("queues");
    Map<String, Long> running = errand.cluster().map(Cluster::running).orElse(null);
    for (String q : errand.queues()) {
      queues.add(views.queue(errand.queue(q), errand.metrics(q), errand.control(q),
          running == null ? null : running.getOrDefault(q, 0L)));
    }
    json.write(ctx, 200, n);
  }

  private void get(Context ctx) {
    Params.only(ctx, List.of());
    String q = ctx.pathParam("queue");
    QueueSpec<?, ?> spec = Lookups.queue(errand, q);
    Long running = errand.cluster().map(c -> c.running().getOrDefault(q, 0L)).orElse(null);
    json.write(ctx, 200, views.queue(spec, errand.metrics(q), errand.control(spec.name()),
        running));
  }

  private void submit(Context ctx) {
    Params.only(ctx, List.of());
    QueueSpec<?, ?> spec = Lookups.queue(errand, ctx.pathParam("queue"));
    Body body = Body.of(json.object(ctx, true, SUBMIT_EXAMPLE), SUBMIT_FIELDS);
    Object args = args(spec, body.required("args"));
    Duration delay = body.optionalDelay("delay");
    Instant runAt = body.optionalRunAt("run_at");
    if (delay != null && runAt != null) {
      throw Body.invalid("give either 'delay' or 'run_at', not both");
    }
    int priority = (int) body.optionalLong("priority", Integer.MIN_VALUE, Integer.MAX_VALUE, 0);
    String key = body.optionalString("key", 512);
    Submitted s = errand.submitOrFind(spec.name(), args,
        new SubmitOptions(delay, runAt, priority, key));
    json.write(ctx, s.created() ? 201 : 200, submitted(ctx, errand, views, s));
  }

  /**
   * The answer to a submit, {@code {id, status, created}}, its {@code Location} header set; the
   * caller answers 201, or 200 when a key found a live task, whose status says where it is.
   */
  static ObjectNode submitted(Context ctx, Errand errand, Views views, Submitted s) {
    TaskStatus status = errand.get(s.id()).map(TaskInfo::status).orElse(TaskStatus.WAITING);
    ctx.header("Location", ApiApp.base(ctx) + "/api/tasks/" + s.id());
    return views.object().put("id", s.id()).put("status", status.name())
        .put("created", s.created());
  }

  private void batch(Context ctx) {
    Params.only(ctx, List.of());
    QueueSpec<?, ?> spec = Lookups.queue(errand, ctx.pathParam("queue"));
    Body body = Body.of(json.object(ctx, true, BATCH_EXAMPLE), List.of("tasks"));
    JsonNode tasks = body.required("tasks");
    if (!tasks.isArray() || tasks.isEmpty()) {
      throw Body.invalid("field 'tasks' must be a non-empty array of the tasks' arguments, got "
          + Body.kind(tasks) + "; e.g. " + BATCH_EXAMPLE);
    }
    List<Object> all = new ArrayList<>(tasks.size());
    tasks.forEach(t -> all.add(args(spec, t)));
    BatchRef ref = errand.submitBatch(spec.name(), all);
    json.write(ctx, 201, Map.of("group", ref.group(), "ids", ref.ids()));
  }

  /**
   * The arguments as the queue takes them: plain JSON values (Map, List, String, Number,
   * Boolean, null) for the server's queues, or converted to a typed queue's argument class.
   */
  private Object args(QueueSpec<?, ?> spec, JsonNode node) {
    Class<?> type = spec.argsType();
    try {
      return json.mapper().treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_task", "queue '" + spec.name() + "' takes"
          + " arguments of type " + type.getSimpleName() + ": "
          + JsonBodies.abbreviate(e instanceof JsonProcessingException j ? j.getOriginalMessage()
              : e.getMessage(), 200));
    }
  }
}
