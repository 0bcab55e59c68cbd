package io.errand.http;

import io.errand.api.Errand;
import io.errand.api.Subscription;
import io.errand.micrometer.ErrandMetrics;
import io.javalin.http.Context;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /metrics}: Prometheus text from a Micrometer registry of this server's own.
 *
 * <ul>
 *   <li>the queues' gauges, counters and timers of {@link ErrandMetrics} (errand-micrometer):
 *       {@code errand_tasks_waiting}, {@code errand_tasks_running}, {@code errand_queue_capacity},
 *       {@code errand_queue_paused},
 *       {@code errand_tasks_submitted_total}, {@code errand_tasks_completed_total{outcome=...}},
 *       {@code errand_tasks_retries_total}, {@code errand_tasks_abandoned_total},
 *       {@code errand_task_run_seconds{outcome=...}} and {@code errand_task_wait_seconds}, its
 *       listener named {@code http-metrics};
 *   <li>{@code errand_events_dropped_total} per listener of this server, and
 *       {@code errand_sse_clients}; plus JVM memory, GC, threads, CPU and uptime.
 * </ul>
 */
final class Metrics implements AutoCloseable {
  /** Prometheus text format 0.0.4, what {@link PrometheusMeterRegistry#scrape()} writes. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final ErrandMetrics queues;

  Metrics(Errand errand) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    queues = ErrandMetrics.builder(errand).listenerName("http-metrics").build();
  }

  /** Binds the queues' meters and starts receiving the events the timers come from. */
  void subscribe() {
    queues.bindTo(registry);
  }

  /** Counts the events Errand dropped for {@code listener}. */
  void countDropped(String listener, Subscription s) {
    FunctionCounter.builder("errand.events.dropped", s, Subscription::dropped)
        .description("events not delivered to a listener because it fell behind")
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
  public void close() {
    queues.close();
    gc.close();
    registry.close();
  }
}
