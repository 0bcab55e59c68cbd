package io.errand.spring;

import io.errand.api.Errand;
import io.errand.common.Secret;
import io.errand.http.ApiServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Serves Errand's HTTP API and dashboard ({@code errand-http}) when the application has that
 * module and sets {@code errand.http.enabled=true}: an {@link ApiServer} on its own address and
 * port ({@code errand.http.bind}, {@code errand.http.port}), started and stopped by an
 * {@link ErrandHttpLifecycle}.
 *
 * <p>Not mounted under the application's own web server: {@code errand-http} is built on
 * Javalin 6, whose Jetty 11 implements Servlet 5, while Spring Boot 4's Tomcat and Jetty
 * implement Servlet 6.1, which dropped classes Jetty 11 needs. So it serves applications without
 * a servlet web server (no web server, or WebFlux on Netty); on a class path whose only Servlet
 * API is 6.1, the start fails naming the conflict (docs/spring.md).
 */
@AutoConfiguration(after = ErrandAutoConfiguration.class)
@ConditionalOnClass(name = "io.errand.http.ApiServer")
@ConditionalOnProperty(name = "errand.http.enabled", havingValue = "true")
@EnableConfigurationProperties(ErrandHttpProperties.class)
public class ErrandHttpAutoConfiguration {
  /** A class of the Servlet 5 API that Jetty 11 loads and Servlet 6 removed. */
  private static final String SERVLET_5_ONLY = "jakarta.servlet.http.HttpSessionContext";

  /** Made by Spring. */
  public ErrandHttpAutoConfiguration() {}

  /**
   * The API server of the application's Errand, not yet started.
   *
   * @param errand     the application's Errand
   * @param properties the {@code errand.http.*} settings
   * @param resources  for the class loader, to find the Servlet API errand-http needs
   * @return the server
   * @throws IllegalStateException when the class path lacks the Servlet 5 API, or naming the {@code errand.http.*} setting that is not allowed,
   *     among them a bind beyond this machine without {@code errand.http.token}
   */
  @Bean
  @ConditionalOnBean(Errand.class)
  @ConditionalOnMissingBean
  public ApiServer errandApiServer(Errand errand, ErrandHttpProperties properties,
      ResourceLoader resources) {
    if (!ClassUtils.isPresent(SERVLET_5_ONLY, resources.getClassLoader())) {
      throw new IllegalStateException("errand.http.enabled is true, but the class path holds a"
          + " Servlet 6 API (Tomcat 11 or Jetty 12, from a Spring Boot web starter) without "
          + SERVLET_5_ONLY + ", which errand-http's Jetty 11 needs: errand-http cannot run beside"
          + " a Spring Boot servlet web server; set errand.http.enabled to false, or serve the API"
          + " from a separate errand-server process");
    }
    String token = properties.token();
    try {
      return ApiServer.builder(errand).bind(properties.bind()).port(properties.port())
          .token(token == null || token.isBlank() ? null : Secret.of(token)).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("errand.http: " + e.getMessage() + " (the settings are"
          + " errand.http.bind, errand.http.port and errand.http.token)", e);
    }
  }

  /**
   * Starts the API server with the context and stops it after the Errand's drain.
   *
   * @param server     the API server
   * @param properties for the address, in the log line
   * @return the lifecycle
   */
  @Bean
  @ConditionalOnBean(ApiServer.class)
  @ConditionalOnMissingBean
  public ErrandHttpLifecycle errandHttpLifecycle(ApiServer server,
      ErrandHttpProperties properties) {
    return new ErrandHttpLifecycle(server, properties.bind());
  }
}
