package io.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.Backoff;
import io.errand.api.CancelResult;
import io.errand.api.KeyStatus;
import io.errand.api.LatencySummary;
import io.errand.api.QueueControl;
import io.errand.api.QueueMetrics;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleInfo;
import io.errand.api.ScheduleRun;
import io.errand.api.TaskError;
import io.errand.api.TaskEvent;
import io.errand.api.Page;
import io.errand.api.TaskInfo;
import io.errand.common.UrlPasswords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The wire format: every object the API answers with, built field by field so that the JSON
 * names (snake_case), dates (ISO-8601 strings) and statuses (their names) are written down in
 * one place and never follow a Java rename by accident.
 */
final class Views {
  private final ObjectMapper mapper;
  private final Map<String, String> labels;

  /** Views whose queues show {@code labels} (queue name to a name for people) where set. */
  Views(ObjectMapper mapper, Map<String, String> labels) {
    this.mapper = mapper;
    this.labels = labels;
  }

  ObjectNode object() {
    return mapper.createObjectNode();
  }

  ArrayNode array() {
    return mapper.createArrayNode();
  }

  /** Every field of a task (DESIGN §2). */
  ObjectNode task(TaskInfo t) {
    ObjectNode n = object();
    n.put("id", t.id());
    n.put("queue", t.queue());
    n.put("status", t.status().name());
    n.put("current", t.current());
    n.put("total", t.total());
    n.put("message", t.message());
    n.set("response", t.response() instanceof TaskError e ? error(e) : value(t.response()));
    n.set("args", value(t.args()));
    n.put("attempt", t.attempt());
    ArrayNode errors = n.putArray("errors");
    t.errors().forEach(e -> errors.add(error(e)));
    n.put("created_at", time(t.createdAt()));
    n.put("started_at", time(t.startedAt()));
    n.put("finished_at", time(t.finishedAt()));
    n.put("run_at", time(t.runAt()));
    n.put("key", t.key());
    n.put("priority", t.priority());
    if (t.group() == 0) {
      n.putNull("group");
    } else {
      n.put("group", t.group());
    }
    n.put("cancel_reason", t.cancelReason());
    return n;
  }

  ObjectNode error(TaskError e) {
    ObjectNode n = object();
    n.put("attempt", e.attempt());
    n.put("type", e.type());
    n.put("message", UrlPasswords.mask(e.message()));
    n.put("at", time(e.at()));
    ArrayNode causes = n.putArray("causes");
    for (TaskError.Cause c : e.causes()) {
      causes.addObject().put("type", c.type()).put("message", UrlPasswords.mask(c.message()));
    }
    n.put("trace", UrlPasswords.mask(e.trace()));
    n.put("output", UrlPasswords.mask(e.output()));
    return n;
  }

  /** What a cancel did: {@code result} is cancelled, stopping or already_finished. */
  ObjectNode cancel(CancelResult r) {
    ObjectNode n = object();
    switch (r) {
      case CancelResult.Cancelled c -> n.put("result", "cancelled").put("id", c.id())
          .put("status", "CANCELLED");
      case CancelResult.Stopping s -> n.put("result", "stopping").put("id", s.id())
          .put("status", "RUNNING");
      case CancelResult.AlreadyFinished f -> n.put("result", "already_finished")
          .put("id", f.id()).put("status", f.status().name());
      case CancelResult.Unknown u -> throw new IllegalArgumentException("unknown task " + u.id());
    }
    return n;
  }

  /**
   * One event. Task events carry the task's fields; BATCH_FINISHED names its {@code group};
   * supervisor events name the {@code supervisor}, {@code key} and {@code instance}; schedule
   * events name the {@code schedule} and its {@code queue}, and SCHEDULE_FIRED the
   * {@code task_id} it submitted; QUEUE_PAUSED and QUEUE_RESUMED name the {@code queue}.
   */
  ObjectNode event(TaskEvent e) {
    ObjectNode n = object();
    n.put("type", e.type().name());
    switch (e.type()) {
      case BATCH_FINISHED -> n.put("group", e.taskId()).put("queue", e.queue());
      case SCHEDULE_FIRED -> n.put("schedule", e.key()).put("queue", e.queue())
          .put("task_id", e.taskId());
      case SCHEDULE_SKIPPED -> n.put("schedule", e.key()).put("queue", e.queue());
      case QUEUE_PAUSED, QUEUE_RESUMED -> n.put("queue", e.queue());
      case KEY_STARTED, KEY_STOPPED, KEY_CRASHED, KEY_RESTARTING, KEY_FAILED -> n
          .put("supervisor", e.queue()).put("key", e.key()).put("instance", e.taskId())
          .put("attempt", e.attempt());
      default -> n.put("task_id", e.taskId()).put("queue", e.queue())
          .put("status", e.status() == null ? null : e.status().name())
          .put("attempt", e.attempt()).put("current", e.current()).put("total", e.total())
          .put("key", e.key());
    }
    n.put("message", e.message());
    n.put("at", time(e.at()));
    return n;
  }

  /**
   * A schedule: its definition (the spec as text and in words), state, next occurrences and
   * last run. Its fixed args are masked as a task's are.
   */
  ObjectNode schedule(ScheduleInfo info, List<Instant> next) {
    Schedule s = info.schedule();
    ObjectNode n = object();
    n.put("name", s.name());
    n.put("queue", s.queue());
    n.put("spec", s.spec().text());
    n.put("description", SpecWords.of(s.spec()));
    n.set("args", SafeArgs.of(mapper.valueToTree(s.fixedArgs().orElse(null))));
    n.put("missed", s.missed().text());
    n.put("overlap", s.overlap().text());
    n.put("jitter", s.jitter().toString());
    n.put("start", time(s.start().orElse(null)));
    n.put("end", time(s.end().orElse(null)));
    n.put("state", info.state().name());
    n.put("next_due", time(info.nextDue()));
    n.put("held", time(info.held()));
    ArrayNode upcoming = n.putArray("next");
    next.forEach(t -> upcoming.add(time(t)));
    ScheduleRun last = info.lastRun();
    if (last == null) {
      n.putNull("last_run");
    } else {
      n.putObject("last_run").put("occurrence", time(last.occurrence()))
          .put("task_id", last.taskId()).put("fired_at", time(last.firedAt()))
          .put("status", last.status() == null ? null : last.status().name());
    }
    return n;
  }

  /** A page of tasks: {@code tasks}, and {@code next_cursor}, the next page's cursor or null. */
  ObjectNode taskPage(Page<TaskInfo> page) {
    ObjectNode n = object();
    ArrayNode tasks = n.putArray("tasks");
    page.items().forEach(t -> tasks.add(task(t)));
    if (page.hasMore()) {
      n.put("next_cursor", page.nextCursor());
    } else {
      n.putNull("next_cursor");
    }
    return n;
  }

  /**
   * A queue with its pause state and counts: {@code waiting} from the store; {@code running} on
   * every node when {@code clusterRunning} is given (a cluster), else on this one;
   * {@code running_here} on this node; the finished counts since this node started.
   */
  ObjectNode queue(QueueSpec<?, ?> spec, QueueMetrics m, QueueControl control,
      Long clusterRunning) {
    ObjectNode n = object();
    n.put("name", spec.name());
    n.put("label", labels.get(spec.name()));
    pauseState(n, control);
    n.put("workers", spec.workers());
    java.util.OptionalInt concurrency = spec.concurrency();
    n.put("concurrency", concurrency.isPresent() ? concurrency.getAsInt() : null);
    n.put("concurrency_key", spec.concurrencyKey().map(Object::toString).orElse(null));
    java.util.OptionalInt perKey = spec.perKeyConcurrency();
    n.put("per_key_concurrency", perKey.isPresent() ? perKey.getAsInt() : null);
    n.put("rate_limit", spec.rateLimit().map(Object::toString).orElse(null));
    n.put("per_key_rate_limit", spec.perKeyRateLimit().map(Object::toString).orElse(null));
    n.put("capacity", spec.capacity());
    n.put("timeout", duration(spec.timeout()));
    n.put("attempts", spec.attempts());
    n.set("backoff", backoff(spec.backoff()));
    n.put("cancel_grace", duration(spec.cancelGrace()));
    n.put("retention", duration(spec.retention()));
    n.put("threads", spec.threads().name());
    ObjectNode counts = n.putObject("counts");
    counts.put("waiting", m.waiting());
    counts.put("running", clusterRunning != null ? clusterRunning : m.running());
    counts.put("running_here", m.running());
    counts.put("succeeded", m.succeeded());
    counts.put("failed", m.failed());
    counts.put("cancelled", m.cancelled());
    counts.put("retried", m.retried());
    counts.put("abandoned", m.abandoned());
    n.put("throughput_per_second", m.throughput());
    n.set("run_time_ms", latency(m.runTime()));
    n.set("wait_time_ms", latency(m.waitTime()));
    return n;
  }

  /** Puts {@code paused} and {@code paused_since} (null while it runs) of a queue into {@code n}. */
  void pauseState(ObjectNode n, QueueControl control) {
    java.util.Optional<Instant> since = control.pausedSince();
    n.put("paused", since.isPresent());
    n.put("paused_since", since.map(Views::time).orElse(null));
  }

  /**
   * A supervised key. Its args, message and error come from the running instance rather than
   * from a store record, so URL passwords are masked here, as the store masks a task's.
   */
  ObjectNode key(KeyStatus k) {
    ObjectNode n = object();
    n.put("supervisor", k.supervisor());
    n.put("key", k.key());
    n.put("state", k.state().name());
    n.put("live", k.isLive());
    n.set("args", value(UrlPasswords.maskValue(k.args())));
    n.put("since", time(k.since()));
    n.put("restarts", k.restarts());
    n.set("last_error", k.lastError() == null ? null : error(k.lastError()));
    n.put("restart_at", time(k.restartAt()));
    n.put("message", UrlPasswords.mask(k.message()));
    return n;
  }

  private ObjectNode backoff(Backoff b) {
    ObjectNode n = object();
    switch (b) {
      case Backoff.Fixed f -> n.put("type", "fixed").put("delay", duration(f.delay()));
      case Backoff.Exponential x -> n.put("type", "exponential")
          .put("initial", duration(x.initial())).put("max", duration(x.max()))
          .put("jitter", x.jitter());
    }
    return n;
  }

  private ObjectNode latency(LatencySummary s) {
    ObjectNode n = object();
    n.put("count", s.count());
    n.put("mean", millis(s.mean()));
    n.put("p50", millis(s.p50()));
    n.put("p95", millis(s.p95()));
    n.put("p99", millis(s.p99()));
    n.put("max", millis(s.max()));
    return n;
  }

  /**
   * A handler's value (arguments, results) as JSON. A result that Jackson cannot write (a
   * Java handler's own object) is shown by its class rather than failing the whole answer.
   */
  JsonNode value(Object v) {
    if (v == null) {
      return mapper.nullNode();
    }
    try {
      return mapper.valueToTree(v);
    } catch (IllegalArgumentException e) {
      return object().put("unserializable", v.getClass().getName());
    }
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  static String duration(Duration d) {
    return d == null ? null : d.toString();
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1_000_000.0;
  }
}
