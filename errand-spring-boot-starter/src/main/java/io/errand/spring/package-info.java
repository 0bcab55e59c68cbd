/**
 * Errand in a Spring Boot 4 application: {@link io.errand.spring.ErrandAutoConfiguration} and its
 * settings ({@link io.errand.spring.ErrandProperties}), the drain at shutdown
 * ({@link io.errand.spring.ErrandLifecycle}), submits that join the Spring transaction
 * ({@link io.errand.spring.ErrandTemplate}), health and metrics. See {@code docs/spring.md}.
 */
package io.errand.spring;
