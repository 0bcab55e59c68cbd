package io.errand.spring;

import io.errand.api.Errand;

/**
 * Changes the {@link Errand.Builder} of the auto-configured {@link Errand} before it is built:
 * for what has no {@code errand.*} property and no bean of its own, such as an
 * {@code objectMapper}, a clock or an event listener. Every customizer bean is applied, in
 * {@link org.springframework.core.annotation.Order} order, after the properties and the
 * queue, supervisor and schedule beans.
 */
@FunctionalInterface
public interface ErrandBuilderCustomizer {
  /**
   * Changes {@code builder}; it is built once every customizer has run.
   *
   * @param builder the builder of the application's Errand
   */
  void customize(Errand.Builder builder);
}
