package io.errand.server.http;

import io.errand.api.Errand;
import io.errand.api.EventListener;
import io.errand.api.QueueMetrics;
import io.errand.api.Subscription;
import io.errand.api.TaskEvent;
import io.errand.api.TaskInfo;
import io.javalin.http.Context;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /metrics}: Prometheus text from a Micrometer registry of this server's own.
 *
 * <ul>
 *   <li>gauges per queue: {@code errand_tasks_waiting}, {@code errand_tasks_running},
 *       {@code errand_queue_capacity};
 *   <li>counters per queue, read from Errand's own counts (so no event loss can skew them):
 *       {@code errand_tasks_completed_total{outcome=success|failure|cancelled}},
 *       {@code errand_tasks_retries_total}, {@code errand_tasks_abandoned_total};
 *   <li>timers per queue with histogram buckets and percentiles:
 *       {@code errand_task_run_seconds{outcome=...}} from each attempt's STARTED event to the
 *       event that ended it, and {@code errand_task_wait_seconds} from a task's due time
 *       ({@link TaskInfo#runAt()}) to its start;
 *   <li>{@code errand_events_dropped_total} per listener of this server, and
 *       {@code errand_sse_clients}; plus JVM memory, GC, threads, CPU and uptime.
 * </ul>
 *
 * The timers come from events on this listener's own thread: a STARTED event costs one read
 * of the task (for its due time), never on a worker's path.
 */
final class Metrics implements EventListener, AutoCloseable {
  /** Attempts whose end has not been seen yet; bounded in case their end event was dropped. */
  private static final int MAX_TRACKED = 100_000;
  /** Prometheus text format 0.0.4, what {@link PrometheusMeterRegistry#scrape()} writes. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Errand errand;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<Long, Instant> started = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Instant> eldest) {
      return size() > MAX_TRACKED;
    }
  };
  private Subscription subscription;

  Metrics(Errand errand) {
    this.errand = errand;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (String q : errand.queues()) {
      queueMeters(q);
    }
  }

  private void queueMeters(String q) {
    gauge("errand.tasks.waiting", "tasks waiting now", q, m -> m.waiting());
    gauge("errand.tasks.running", "attempts running now in this process", q, m -> m.running());
    Gauge.builder("errand.queue.capacity", errand, e -> e.queue(q).capacity())
        .description("the most tasks that may wait").tag("queue", q).register(registry);
    counter("errand.tasks.completed", "tasks finished", q, "success", m -> m.succeeded());
    counter("errand.tasks.completed", "tasks finished", q, "failure", m -> m.failed());
    counter("errand.tasks.completed", "tasks finished", q, "cancelled", m -> m.cancelled());
    counter("errand.tasks.retries", "attempts that failed and were retried", q, null,
        m -> m.retried());
    counter("errand.tasks.abandoned", "attempts that did not stop within their cancel grace",
        q, null, m -> m.abandoned());
    for (String outcome : List.of("success", "failure", "cancelled", "retried")) {
      timer("errand.task.run", q, outcome);
    }
    timer("errand.task.wait", q, null);
  }

  /** Starts receiving the events the timers come from. */
  void subscribe() {
    subscription = errand.listen("http-metrics", this);
    countDropped("http-metrics", subscription);
  }

  /** Counts the events Errand dropped for {@code listener}. */
  void countDropped(String listener, Subscription s) {
    FunctionCounter.builder("errand.events.dropped", s, Subscription::dropped)
        .description("events not delivered to a listener of the server because it fell behind")
        .tag("listener", listener).register(registry);
  }

  /** Reports how many SSE clients are connected. */
  void gaugeClients(AtomicInteger clients) {
    Gauge.builder("errand.sse.clients", clients, AtomicInteger::get)
        .description("clients connected to /api/events").register(registry);
  }

  void handle(Context ctx) {
    Params.only(ctx, List.of());
    ctx.contentType(CONTENT_TYPE).result(registry.scrape());
  }

  @Override
  public void onEvent(TaskEvent e) {
    switch (e.type()) {
      case STARTED -> {
        started.put(e.taskId(), e.at());
        TaskInfo t = errand.get(e.taskId()).orElse(null);
        if (t != null && t.runAt() != null && t.attempt() == e.attempt()) {
          record(timer("errand.task.wait", e.queue(), null), t.runAt(), e.at());
        }
      }
      case SUCCEEDED -> ended(e, "success");
      case FAILED -> ended(e, "failure");
      case CANCELLED -> ended(e, "cancelled");
      case RETRYING -> ended(e, "retried");
      default -> { } // progress, batches and supervisors have no timer
    }
  }

  private void ended(TaskEvent e, String outcome) {
    Instant start = started.remove(e.taskId());
    if (start != null) { // a task cancelled while waiting never started
      record(timer("errand.task.run", e.queue(), outcome), start, e.at());
    }
  }

  private static void record(Timer timer, Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    timer.record(d.isNegative() ? Duration.ZERO : d);
  }

  private Timer timer(String name, String queue, String outcome) {
    return timers.computeIfAbsent(name + '|' + queue + '|' + outcome, k -> {
      Timer.Builder b = Timer.builder(name).tag("queue", queue)
          .description(name.endsWith("run") ? "how long attempts ran"
              : "how long tasks waited from due to start")
          .publishPercentiles(0.5, 0.95, 0.99)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofHours(1));
      if (outcome != null) {
        b.tag("outcome", outcome);
      }
      return b.register(registry);
    });
  }

  private void gauge(String name, String help, String q, ToDoubleFunction<QueueMetrics> f) {
    Gauge.builder(name, errand, e -> f.applyAsDouble(e.metrics(q)))
        .description(help).tag("queue", q).register(registry);
  }

  private void counter(String name, String help, String q, String outcome,
      ToDoubleFunction<QueueMetrics> f) {
    FunctionCounter.Builder<Errand> b =
        FunctionCounter.builder(name, errand, e -> f.applyAsDouble(e.metrics(q)))
            .description(help).tag("queue", q);
    if (outcome != null) {
      b.tag("outcome", outcome);
    }
    b.register(registry);
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
    gc.close();
    registry.close();
  }
}
