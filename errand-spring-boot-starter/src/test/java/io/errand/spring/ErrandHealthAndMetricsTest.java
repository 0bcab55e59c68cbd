package io.errand.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.micrometer.ErrandMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ErrandHealthAndMetricsTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ErrandAutoConfiguration.class,
          ErrandHealthAutoConfiguration.class, ErrandMetricsAutoConfiguration.class,
          MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
          SimpleMetricsExportAutoConfiguration.class))
      .withBean("mail", QueueSpec.class, () -> QueueSpec.builder("mail", String.class,
          String.class, ctx -> "sent " + ctx.args()).workers(3).build());

  @Test
  void healthIsUpWithEachQueuesFiguresThenOutOfServiceOnceTheDrainBegins() {
    runner.run(context -> {
      ErrandHealthIndicator indicator = context.getBean(ErrandHealthIndicator.class);
      Health up = indicator.health(true);
      assertThat(up.getStatus()).isEqualTo(Status.UP);
      assertThat(up.getDetails().get("queues")).isEqualTo(
          Map.of("mail", Map.of("waiting", 0L, "running", 0L, "workers", 3)));

      context.getBean(Errand.class).stopAccepting();
      assertThat(indicator.health(true).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    });
  }

  @Test
  void theHealthIndicatorCanBeTurnedOff() {
    runner.withPropertyValues("management.health.errand.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(ErrandHealthIndicator.class)
            .hasSingleBean(Errand.class));
  }

  @Test
  void errandsMetersAreBoundToTheApplicationsMeterRegistry() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(ErrandMetrics.class);
      Errand errand = context.getBean(Errand.class);
      errand.await(errand.submit("mail", "ada")).get(30, TimeUnit.SECONDS);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(registry.get("errand.tasks.submitted").tag("queue", "mail")
            .functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("errand.task.run").tag("queue", "mail")
            .tag("outcome", "success").timer().count()).isEqualTo(1);
      });
    });
  }
}
