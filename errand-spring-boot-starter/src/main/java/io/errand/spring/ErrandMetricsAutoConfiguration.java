package io.errand.spring;

import io.errand.api.Errand;
import io.errand.micrometer.ErrandMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Errand's meters ({@code errand.tasks.*}, {@code errand.task.*}, {@code errand.schedule.*}) in
 * the application's {@code MeterRegistry}, where {@code errand-micrometer} is on the class path:
 * an {@link ErrandMetrics} bean, which Spring Boot's metrics support binds to every registry it
 * configures, as it does any {@code MeterBinder}. The context closes it before the Errand.
 */
@AutoConfiguration(after = ErrandAutoConfiguration.class)
@ConditionalOnClass(name = {"io.errand.micrometer.ErrandMetrics",
    "io.micrometer.core.instrument.MeterRegistry"})
@ConditionalOnBean(Errand.class)
public class ErrandMetricsAutoConfiguration {
  /** Made by Spring. */
  public ErrandMetricsAutoConfiguration() {}

  /**
   * The binder of the application's Errand.
   *
   * @param errand the application's Errand
   * @return a binder, bound by Spring Boot to its registries
   */
  @Bean
  @ConditionalOnMissingBean
  public ErrandMetrics errandMetrics(Errand errand) {
    return ErrandMetrics.of(errand);
  }
}
