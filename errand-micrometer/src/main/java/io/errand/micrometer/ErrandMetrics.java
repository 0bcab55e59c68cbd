package io.errand.micrometer;

import io.errand.api.Errand;
import io.errand.api.QueueMetrics;
import io.errand.api.Subscription;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds the figures of one {@link Errand} to a Micrometer {@link MeterRegistry}; plain Java,
 * no Spring needed:
 *
 * <pre>{@code
 * ErrandMetrics metrics = ErrandMetrics.of(errand);
 * metrics.bindTo(registry);   // any registry: Prometheus, OTLP, a SimpleMeterRegistry...
 * ...
 * metrics.close();            // stops the timers' listener; the counters stay readable
 * }</pre>
 *
 * <p>Every meter is tagged {@code queue}, plus the builder's common tags:
 * <ul>
 *   <li>gauges {@code errand.tasks.waiting} (tasks waiting now, in the store),
 *       {@code errand.tasks.running} (attempts running now in this process),
 *       {@code errand.queue.capacity} and {@code errand.queue.paused} (1 while the queue is
 *       paused, read from the store, so on every node);
 *   <li>counters read from Errand's own counts ({@link Errand#metrics(String)}), so no event
 *       loss can skew them: {@code errand.tasks.submitted},
 *       {@code errand.tasks.completed} with {@code outcome} {@code success}, {@code failure} or
 *       {@code cancelled}, {@code errand.tasks.retries} (attempts that failed and were retried)
 *       and {@code errand.tasks.abandoned} (attempts that did not stop within their grace);
 *   <li>timers with histogram buckets from 5 ms to 1 h: {@code errand.task.run} with
 *       {@code outcome} {@code success}, {@code failure}, {@code cancelled}, {@code retried} or
 *       {@code snoozed},
 *       from an attempt's STARTED event to the event that ended it, and
 *       {@code errand.task.wait}, from a task's due time to its start;
 *   <li>for schedules, from their events: counters {@code errand.schedule.fired} and
 *       {@code errand.schedule.skipped} (occurrences) tagged {@code schedule} and {@code queue},
 *       and the timer {@code errand.schedule.lag} tagged {@code schedule}, from an occurrence's
 *       due time to its task's submission (registered at a schedule's first event);
 *   <li>{@code errand.events.dropped} tagged {@code listener}: events the timers' listener
 *       missed because it fell behind (the timers then miss those attempts; the counters do not).
 * </ul>
 *
 * <p>In Prometheus these read {@code errand_tasks_waiting}, {@code errand_tasks_completed_total},
 * {@code errand_task_run_seconds_bucket} and so on. The timers come from events on a listener
 * thread of their own, never on a worker's path; a STARTED event costs that thread one read of
 * the task (for its due time). Each {@link #bindTo} starts one such listener; {@link #close()}
 * stops them all. Thread-safe.
 */
public final class ErrandMetrics implements MeterBinder, AutoCloseable {
  /** The name of the timers' event listener unless the builder sets another. */
  public static final String DEFAULT_LISTENER = "errand-micrometer";

  private final Errand errand;
  private final String listenerName;
  private final Tags tags;
  private final List<Subscription> subscriptions = new ArrayList<>(); // guarded by this
  private boolean closed; // guarded by this

  private ErrandMetrics(Builder b) {
    this.errand = b.errand;
    this.listenerName = b.listenerName;
    this.tags = b.tags;
  }

  /**
   * A binder for {@code errand} with the default listener name and no common tags.
   *
   * @param errand the Errand whose queues are measured
   * @return a binder, not yet bound
   * @throws NullPointerException if {@code errand} is null
   */
  public static ErrandMetrics of(Errand errand) {
    return builder(errand).build();
  }

  /**
   * A builder of a binder for {@code errand}.
   *
   * @param errand the Errand whose queues are measured
   * @return a builder with the default listener name and no common tags
   * @throws NullPointerException if {@code errand} is null
   */
  public static Builder builder(Errand errand) {
    return new Builder(Objects.requireNonNull(errand, "errand"));
  }

  /**
   * Registers the meters of every queue of the Errand in {@code registry} and starts the
   * listener the timers come from.
   *
   * @param registry where the meters go
   * @throws IllegalStateException if this binder was closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("ErrandMetrics is closed; build a new one to bind again");
      }
    }
    for (String q : errand.queues()) {
      queueMeters(registry, q);
    }
    TaskTimers timers = new TaskTimers(errand, registry, tags);
    Subscription s = errand.listen(listenerName, timers);
    FunctionCounter.builder("errand.events.dropped", s, Subscription::dropped)
        .description("events not delivered to a listener because it fell behind")
        .tags(tags).tag("listener", listenerName).register(registry);
    synchronized (this) {
      subscriptions.add(s);
      if (closed) { // closed while binding: stop what was just started
        s.close();
      }
    }
  }

  /** Stops the timers' listeners. The gauges and counters stay readable. Idempotent. */
  @Override
  public void close() {
    List<Subscription> toClose;
    synchronized (this) {
      closed = true;
      toClose = List.copyOf(subscriptions);
      subscriptions.clear();
    }
    toClose.forEach(Subscription::close);
  }

  private void queueMeters(MeterRegistry registry, String q) {
    Tags queue = tags.and("queue", q);
    gauge(registry, "errand.tasks.waiting", "tasks waiting now", q, queue, QueueMetrics::waiting);
    gauge(registry, "errand.tasks.running", "attempts running now in this process", q, queue,
        QueueMetrics::running);
    Gauge.builder("errand.queue.capacity", errand, e -> e.queue(q).capacity())
        .description("the most tasks that may wait").tags(queue).register(registry);
    Gauge.builder("errand.queue.paused", errand, e -> e.control(q).isPaused() ? 1 : 0)
        .description("1 while the queue is paused (on every node), else 0").tags(queue)
        .register(registry);
    counter(registry, "errand.tasks.submitted", "tasks added to the queue by this process", q,
        queue, QueueMetrics::submitted);
    counter(registry, "errand.tasks.completed", "tasks finished", q,
        queue.and("outcome", "success"), QueueMetrics::succeeded);
    counter(registry, "errand.tasks.completed", "tasks finished", q,
        queue.and("outcome", "failure"), QueueMetrics::failed);
    counter(registry, "errand.tasks.completed", "tasks finished", q,
        queue.and("outcome", "cancelled"), QueueMetrics::cancelled);
    counter(registry, "errand.tasks.retries", "attempts that failed and were retried", q, queue,
        QueueMetrics::retried);
    counter(registry, "errand.tasks.abandoned",
        "attempts that did not stop within their cancel grace", q, queue,
        QueueMetrics::abandoned);
    TaskTimers.register(registry, tags, q);
  }

  private void gauge(MeterRegistry registry, String name, String help, String q, Tags tags,
      ToDoubleFunction<QueueMetrics> f) {
    Gauge.builder(name, errand, e -> f.applyAsDouble(e.metrics(q)))
        .description(help).tags(tags).register(registry);
  }

  private void counter(MeterRegistry registry, String name, String help, String q, Tags tags,
      ToDoubleFunction<QueueMetrics> f) {
    FunctionCounter.builder(name, errand, e -> f.applyAsDouble(e.metrics(q)))
        .description(help).tags(tags).register(registry);
  }

  /** Settings of an {@link ErrandMetrics}: the listener's name and tags on every meter. */
  public static final class Builder {
    private final Errand errand;
    private String listenerName = DEFAULT_LISTENER;
    private Tags tags = Tags.empty();

    private Builder(Errand errand) {
      this.errand = errand;
    }

    /**
     * The name of the timers' event listener, as Errand's logs and the
     * {@code errand.events.dropped} counter's {@code listener} tag show it.
     *
     * @param name not blank
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public Builder listenerName(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("listenerName must not be blank, was "
            + (name == null ? "null" : "'" + name + "'"));
      }
      this.listenerName = name;
      return this;
    }

    /**
     * Tags added to every meter (for example the application or the node), besides
     * {@code queue}.
     *
     * @param tags the tags; a key {@code queue}, {@code outcome} or {@code listener} is refused
     * @return this builder
     * @throws IllegalArgumentException if a tag uses a key the binder sets itself
     */
    public Builder tags(Iterable<Tag> tags) {
      Tags all = Tags.of(tags);
      for (Tag t : all) {
        if (List.of("queue", "outcome", "listener").contains(t.getKey())) {
          throw new IllegalArgumentException("tag '" + t.getKey() + "' is set by ErrandMetrics "
              + "itself; choose another key (queue, outcome and listener are taken)");
        }
      }
      this.tags = all;
      return this;
    }

    /**
     * The binder.
     *
     * @return a binder, not yet bound
     */
    public ErrandMetrics build() {
      return new ErrandMetrics(this);
    }
  }
}
