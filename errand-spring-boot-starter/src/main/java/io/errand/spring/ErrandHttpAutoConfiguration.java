package io.errand.spring;

import io.errand.api.Errand;
import io.errand.common.BindAddress;
import io.errand.common.Secret;
import io.errand.http.ApiServer;
import io.errand.http.ApiServlet;
import jakarta.servlet.Servlet;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Serves Errand's HTTP API and dashboard ({@code errand-http}) when the application has that
 * module and sets {@code errand.http.enabled=true}, in one of two ways:
 *
 * <ul>
 *   <li>with {@code errand.http.path} (such as {@code /errand}): under that path of the
 *       application's own servlet web server (Tomcat or Jetty), as an {@link ApiServlet}
 *       registered by a {@link ServletRegistrationBean}; {@link ErrandServletLifecycle} ends its
 *       event streams before the server's graceful shutdown;
 *   <li>without it: an {@link ApiServer} on an address and port of their own
 *       ({@code errand.http.bind}, {@code errand.http.port}), started and stopped by an
 *       {@link ErrandHttpLifecycle}.
 * </ul>
 *
 * <p>Either way the token ({@code errand.http.token}) guards the API, and an address beyond
 * this machine without one is refused: the own port's {@code errand.http.bind}, or for a path
 * the application server's {@code server.address} (all addresses when unset).
 */
@AutoConfiguration(after = ErrandAutoConfiguration.class)
@ConditionalOnClass(name = "io.errand.http.ApiServer")
@ConditionalOnProperty(name = "errand.http.enabled", havingValue = "true")
@EnableConfigurationProperties(ErrandHttpProperties.class)
public class ErrandHttpAutoConfiguration {
  /** Made by Spring. */
  public ErrandHttpAutoConfiguration() {}

  /** The API on a port of its own: {@code errand.http.path} is not set. */
  @Configuration(proxyBeanMethods = false)
  @Conditional(HttpModes.OwnPort.class)
  public static class OwnPort {
    /** Made by Spring. */
    public OwnPort() {}

    /**
     * The API server of the application's Errand, not yet started.
     *
     * @param errand     the application's Errand
     * @param properties the {@code errand.http.*} settings
     * @return the server
     * @throws IllegalStateException naming the {@code errand.http.*} setting that is not
     *     allowed, among them a bind beyond this machine without {@code errand.http.token}
     */
    @Bean
    @ConditionalOnBean(Errand.class)
    @ConditionalOnMissingBean
    public ApiServer errandApiServer(Errand errand, ErrandHttpProperties properties) {
      String token = properties.tokenOrNull();
      try {
        return ApiServer.builder(errand).bind(properties.bindOrDefault())
            .port(properties.portOrDefault())
            .token(token == null ? null : Secret.of(token)).build();
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
      return new ErrandHttpLifecycle(server, properties.bindOrDefault());
    }
  }

  /** The API under {@code errand.http.path} of the application's own servlet web server. */
  @Configuration(proxyBeanMethods = false)
  @Conditional(HttpModes.Mounted.class)
  @ConditionalOnClass(ServletRegistrationBean.class)
  public static class Mounted {
    /** Made by Spring. */
    public Mounted() {}

    /**
     * The API as a servlet for the application's server.
     *
     * @param errand      the application's Errand
     * @param properties  the {@code errand.http.*} settings
     * @param environment for {@code server.address}
     * @param context     to tell whether the application has a servlet web server
     * @return the servlet
     * @throws IllegalStateException naming the setting that is not allowed: a path that is not
     *     one, {@code errand.http.bind} or {@code port} beside it, no token while the
     *     application's server listens beyond this machine, or no servlet web server
     */
    @Bean
    @ConditionalOnBean(Errand.class)
    @ConditionalOnMissingBean
    public ApiServlet errandApiServlet(Errand errand, ErrandHttpProperties properties,
        Environment environment, ApplicationContext context) {
      HttpModes.checkMounted(properties, environment, context);
      String token = properties.tokenOrNull();
      try {
        return ApiServlet.builder(errand).path(properties.path())
            .token(token == null ? null : Secret.of(token)).build();
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("errand.http.path: " + e.getMessage(), e);
      }
    }

    /**
     * Registers the servlet at {@code <errand.http.path>/*}, with asynchronous requests on.
     *
     * @param api the servlet
     * @return its registration
     */
    @Bean
    @ConditionalOnBean(ApiServlet.class)
    @ConditionalOnMissingBean(name = "errandApiServletRegistration")
    public ServletRegistrationBean<Servlet> errandApiServletRegistration(ApiServlet api) {
      ServletRegistrationBean<Servlet> registration =
          new ServletRegistrationBean<>(api.servlet(), api.urlMapping());
      registration.setName("errand");
      registration.setAsyncSupported(true);
      registration.setLoadOnStartup(1);
      return registration;
    }

    /**
     * Ends the servlet's event streams when the context stops, before the web server's
     * graceful shutdown waits for open requests.
     *
     * @param api the servlet
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnBean(ApiServlet.class)
    @ConditionalOnMissingBean
    public ErrandServletLifecycle errandServletLifecycle(ApiServlet api) {
      return new ErrandServletLifecycle(api);
    }
  }

  /** Which of the two modes {@code errand.http.*} asks for, and the checks of the mounted one. */
  static final class HttpModes {
    private static final String SERVLET_CONTEXT =
        "org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext";

    private HttpModes() {}

    /** {@code errand.http.path} is set. */
    static final class Mounted implements org.springframework.context.annotation.Condition {
      @Override
      public boolean matches(org.springframework.context.annotation.ConditionContext c,
          org.springframework.core.type.AnnotatedTypeMetadata m) {
        return c.getEnvironment().containsProperty("errand.http.path");
      }
    }

    /** {@code errand.http.path} is not set. */
    static final class OwnPort implements org.springframework.context.annotation.Condition {
      @Override
      public boolean matches(org.springframework.context.annotation.ConditionContext c,
          org.springframework.core.type.AnnotatedTypeMetadata m) {
        return !c.getEnvironment().containsProperty("errand.http.path");
      }
    }

    static void checkMounted(ErrandHttpProperties p, Environment env, ApplicationContext ctx) {
      if (p.bind() != null || p.port() != null) {
        throw new IllegalStateException("errand.http." + (p.bind() != null ? "bind" : "port")
            + " cannot be set with errand.http.path '" + p.path() + "': under a path the API is"
            + " served by the application's own server (server.address, server.port); unset"
            + " one of them");
      }
      if (!isServletWebServer(ctx)) {
        throw new IllegalStateException("errand.http.path is '" + p.path() + "', but this"
            + " application has no servlet web server to serve it (add"
            + " spring-boot-starter-webmvc, or unset errand.http.path to serve the API on"
            + " errand.http.port)");
      }
      String address = env.getProperty("server.address", "0.0.0.0");
      BindAddress.tokenProblem("server.address", address, p.tokenOrNull() != null)
          .ifPresent(problem -> {
            throw new IllegalStateException("errand.http.token must be set when Errand's API"
                + " is served under errand.http.path by a server that listens beyond this"
                + " machine (server.address is '" + address + "'" + (env.containsProperty(
                    "server.address") ? "" : ", all addresses, as it is not set")
                + "); or set server.address to 127.0.0.1");
          });
    }

    private static boolean isServletWebServer(ApplicationContext ctx) {
      for (Class<?> c = ctx.getClass(); c != null; c = c.getSuperclass()) {
        if (c.getName().equals(SERVLET_CONTEXT)) {
          return true;
        }
      }
      return false;
    }
  }
}
