package io.errand.spring;

import io.errand.api.Errand;
import io.errand.api.QueueMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The application's {@link Errand} in the actuator's health (contributor {@code errand}):
 * {@code UP} while it takes tasks, {@code OUT_OF_SERVICE} once its drain has begun, {@code DOWN}
 * when its store cannot answer. The details give each queue's waiting and running tasks and
 * workers. Turned off by {@code management.health.errand.enabled=false}.
 */
public final class ErrandHealthIndicator extends AbstractHealthIndicator {
  private final Errand errand;

  /**
   * An indicator of {@code errand}.
   *
   * @param errand the Errand whose health this reports
   */
  public ErrandHealthIndicator(Errand errand) {
    super("Errand health check failed");
    this.errand = errand;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    if (errand.isShuttingDown()) {
      builder.outOfService().withDetail("reason", "draining: no new tasks are accepted");
      return;
    }
    Map<String, Object> queues = new LinkedHashMap<>();
    for (String queue : errand.queues()) {
      QueueMetrics m = errand.metrics(queue);
      queues.put(queue, Map.of("waiting", m.waiting(), "running", m.running(),
          "workers", m.workers()));
    }
    builder.up().withDetail("queues", queues).withDetail("supervisors", errand.supervisors());
  }
}
