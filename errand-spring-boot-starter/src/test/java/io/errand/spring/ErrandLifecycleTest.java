package io.errand.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter builds the Errand unstarted and starts it in {@link ErrandLifecycle#start()}, and
 * fits the drain's grace within Spring's per-phase time-out.
 */
class ErrandLifecycleTest {
  record Greeting(String name) {}

  /** What a bean made while the context refreshes saw of the Errand. */
  record Early(boolean started, long submitted) {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ErrandAutoConfiguration.class))
      .withUserConfiguration(Beans.class);

  @Configuration(proxyBeanMethods = false)
  static class Beans {
    @Bean
    QueueSpec<Greeting, String> greet() {
      return QueueSpec.builder("greet", Greeting.class, String.class,
          ctx -> "hello " + ctx.args().name()).cancelGrace(Duration.ofSeconds(2)).build();
    }

    @Bean
    Early early(Errand errand) {
      return new Early(errand.isStarted(), errand.submit("greet", new Greeting("early")));
    }
  }

  @Test
  void theErrandStartsWithTheContextNotWithItsBeanAndRunsWhatWasSubmittedBefore() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      Early early = context.getBean(Early.class);
      assertThat(early.started()).as("started while the context refreshed").isFalse();
      Errand errand = context.getBean(Errand.class);
      assertThat(errand.isStarted()).isTrue();
      assertThat(context.getBean(ErrandLifecycle.class).isRunning()).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> errand.get(early.submitted())
          .orElseThrow().status() == TaskStatus.SUCCESS);
    });
  }

  @Test
  void theDrainsGraceFitsSpringsTimeOutPerShutdownPhase() {
    // 10 s per phase, less the queue's 2 s cancel grace and 3 s for the drain's last steps.
    runner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=10s",
        "errand.shutdown-grace=60s").run(context -> assertThat(
            context.getBean(ErrandLifecycle.class).grace()).isEqualTo(Duration.ofSeconds(5)));
    runner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=2m",
        "errand.shutdown-grace=20s").run(context -> assertThat(
            context.getBean(ErrandLifecycle.class).grace()).isEqualTo(Duration.ofSeconds(20)));
    runner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=3s")
        .run(context -> assertThat(context.getBean(ErrandLifecycle.class).grace())
            .isEqualTo(Duration.ZERO));
  }
}
