/**
 * The HTTP API and dashboard of an Errand, as a server an application starts beside its own
 * ({@link io.errand.http.ApiServer}). It brings Javalin and the SLF4J API, and no logging
 * implementation.
 */
module io.errand.http {
  requires transitive io.errand.core;
  requires transitive io.errand.common;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires io.javalin;
  // ApiServlet hands its servlet to the application's server.
  requires transitive jakarta.servlet;
  requires io.errand.micrometer;
  requires micrometer.registry.prometheus;
  requires org.slf4j;

  exports io.errand.http;
}
