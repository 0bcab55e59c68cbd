/**
 * The {@code errand} program: its config, handlers, command line and logging. Handlers of other
 * jars plug in as {@link io.errand.server.handler.HandlerFactory} services, and whole features
 * (handlers, HTTP routes, CLI verbs; git-sync is one) as
 * {@link io.errand.server.plugin.ServerPlugin} services.
 */
module io.errand.server {
  requires io.errand.core;
  requires io.errand.common;
  requires io.errand.http;
  requires io.errand.sqlite;
  requires io.errand.postgres;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires info.picocli;
  requires ch.qos.logback.classic;
  requires ch.qos.logback.core;
  requires org.slf4j;
  requires org.yaml.snakeyaml;
  requires java.net.http;
  requires jdk.unsupported;

  exports io.errand.server.handler;
  exports io.errand.server.plugin;
  // picocli builds the commands and fills their options by reflection.
  opens io.errand.server to info.picocli;
  opens io.errand.server.cli to info.picocli;
  opens io.errand.server.git.cli to info.picocli;

  uses io.errand.server.handler.HandlerFactory;
  uses io.errand.server.plugin.ServerPlugin;

  provides io.errand.server.handler.HandlerFactory with
      io.errand.server.handler.DemoHandlerFactory,
      io.errand.server.handler.ExecHandlerFactory,
      io.errand.server.handler.HttpHandlerFactory;
  provides io.errand.server.plugin.ServerPlugin with
      io.errand.server.git.plugin.GitSyncPlugin;
}
