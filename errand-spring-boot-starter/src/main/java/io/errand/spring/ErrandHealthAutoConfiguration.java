package io.errand.spring;

import io.errand.api.Errand;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@link ErrandHealthIndicator}, where the actuator's health is on the class path
 * ({@code spring-boot-health}, which {@code spring-boot-starter-actuator} brings).
 */
@AutoConfiguration(after = ErrandAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(Errand.class)
@ConditionalOnEnabledHealthIndicator("errand")
public class ErrandHealthAutoConfiguration {
  /** Made by Spring. */
  public ErrandHealthAutoConfiguration() {}

  /**
   * The health contributor {@code errand}.
   *
   * @param errand the application's Errand
   * @return its indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "errandHealthIndicator")
  public ErrandHealthIndicator errandHealthIndicator(Errand errand) {
    return new ErrandHealthIndicator(errand);
  }
}
