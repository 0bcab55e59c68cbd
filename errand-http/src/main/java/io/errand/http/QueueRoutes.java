package io.errand.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.BatchCallback;
import io.errand.api.BatchRef;
import io.errand.api.Cluster;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.OnConflict;
import io.errand.api.SubmitOptions;
import io.errand.api.Uniqueness;
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
      List.of("args", "delay", "run_at", "key", "priority", "unique_period", "unique_states",
          "on_conflict");
  private static final String SUBMIT_EXAMPLE = "{\"args\": {\"to\": \"ada@example.com\"}}";
  private static final String BATCH_EXAMPLE = "{\"tasks\": [{\"n\": 1}, {\"n\": 2}]}";
  private static final String CALLBACK_EXAMPLE =
      "{\"queue\": \"report\", \"args\": {}, \"on\": \"success\"}";

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
    Uniqueness unique = uniqueness(body, key);
    Submitted s = errand.submitOrFind(spec.name(), args,
        new SubmitOptions(delay, runAt, priority, key, unique));
    json.write(ctx, s.created() ? 201 : 200, submitted(ctx, errand, views, s));
  }

  /**
   * The key's uniqueness from {@code unique_period}, {@code unique_states} and
   * {@code on_conflict}, or null when none is given. A period alone means every state holds
   * the key within it.
   */
  private static Uniqueness uniqueness(Body body, String key) {
    boolean any = body.has("unique_period") || body.has("unique_states")
        || body.has("on_conflict");
    if (!any) {
      return null;
    }
    if (key == null) {
      throw Body.invalid("'unique_period', 'unique_states' and 'on_conflict' need a 'key'");
    }
    Duration period = body.optionalDelay("unique_period");
    if (period != null && period.isZero()) {
      throw Body.invalid("field 'unique_period' must be more than 0 (up to 36525 days), was "
          + body.required("unique_period"));
    }
    Uniqueness u = period == null ? Uniqueness.LIVE : Uniqueness.within(period);
    if (body.has("unique_states")) {
      JsonNode v = body.required("unique_states");
      StringBuilder names = new StringBuilder();
      if (v.isArray() && !v.isEmpty()) {
        for (JsonNode n : v) {
          if (!n.isTextual()) {
            throw Body.invalid("field 'unique_states' must be an array of states, got an "
                + "element that is " + Body.kind(n));
          }
          names.append(names.isEmpty() ? "" : ",").append(n.textValue());
        }
      } else if (v.isTextual() && !v.textValue().isBlank()) {
        names.append(v.textValue());
      } else {
        throw Body.invalid("field 'unique_states' must be a non-empty array of states "
            + "(WAITING, RUNNING, SUCCESS, FAILURE, CANCELLED), got " + Body.kind(v));
      }
      u = new Uniqueness(period, Uniqueness.LIVE.withStates(Uniqueness.parseStates(
          names.toString())).states(), u.onConflict());
    }
    String mode = body.optionalString("on_conflict", 16);
    return mode == null ? u : u.withOnConflict(OnConflict.parse(mode));
  }

  /**
   * The answer to a submit, {@code {id, status, created}}, its {@code Location} header set; the
   * caller answers 201, or 200 when a key found a live task, whose status says where it is.
   */
  static ObjectNode submitted(Context ctx, Errand errand, Views views, Submitted s) {
    TaskStatus status = errand.get(s.id()).map(TaskInfo::status).orElse(TaskStatus.WAITING);
    ctx.header("Location", ApiApp.base(ctx) + "/api/tasks/" + s.id());
    ObjectNode n = views.object().put("id", s.id()).put("status", status.name())
        .put("created", s.created());
    if (!s.created()) {
      n.put("on_conflict", s.resolved().wireName());
    }
    return n;
  }

  private void batch(Context ctx) {
    Params.only(ctx, List.of());
    QueueSpec<?, ?> spec = Lookups.queue(errand, ctx.pathParam("queue"));
    Body body = Body.of(json.object(ctx, true, BATCH_EXAMPLE), List.of("tasks", "callback"));
    JsonNode tasks = body.required("tasks");
    if (!tasks.isArray() || tasks.isEmpty()) {
      throw Body.invalid("field 'tasks' must be a non-empty array of the tasks' arguments, got "
          + Body.kind(tasks) + "; e.g. " + BATCH_EXAMPLE);
    }
    List<Object> all = new ArrayList<>(tasks.size());
    tasks.forEach(t -> all.add(args(spec, t)));
    BatchCallback callback = body.has("callback") ? callback(body.required("callback")) : null;
    BatchRef ref = errand.submitBatch(spec.name(), all, callback);
    ObjectNode n = views.object().put("group", ref.group());
    ref.ids().forEach(n.putArray("ids")::add);
    if (ref.callback() != 0) {
      n.put("callback", ref.callback());
    }
    json.write(ctx, 201, n);
  }

  /** A batch's {@code callback}: {@code {queue, args?, on?}}, on "success" (default) or "end". */
  private BatchCallback callback(JsonNode node) {
    if (!node.isObject()) {
      throw Body.invalid("field 'callback' must be an object {\"queue\", \"args\", \"on\"}, "
          + "got " + Body.kind(node) + "; e.g. " + CALLBACK_EXAMPLE);
    }
    Body c = Body.of((ObjectNode) node, List.of("queue", "args", "on"));
    String queue = c.optionalString("queue", 200);
    if (queue == null) {
      throw Body.invalid("field 'callback.queue' is required: the queue of the task to run "
          + "when the batch ends; e.g. " + CALLBACK_EXAMPLE);
    }
    if (!errand.queues().contains(queue)) {
      throw Body.invalid("field 'callback.queue': there is no queue '"
          + JsonBodies.abbreviate(queue, 64) + "'; the queues are "
          + String.join(", ", errand.queues()));
    }
    QueueSpec<?, ?> spec = errand.queue(queue);
    Object args = c.has("args") ? args(spec, c.required("args")) : null;
    String on = c.optionalString("on", 16);
    return new BatchCallback(spec.name(), args,
        on == null ? BatchCallback.Trigger.ON_SUCCESS : BatchCallback.Trigger.parse(on));
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
