package io.errand.server;

import io.errand.server.config.ConfigException;
import io.errand.server.config.ConfigLoader;
import io.errand.server.config.ServerConfig;
import io.errand.server.serve.ErrandServer;
import io.errand.server.serve.LogFormat;
import io.errand.server.serve.PortInUseException;
import io.errand.server.serve.ShutdownSignals;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code errand serve}: the server, in the foreground, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Runs the queues of a config file and serves the HTTP API.",
        "Without --config: 127.0.0.1:8080, SQLite in ./errand-data/, a demo queue.",
        "Exit codes: 0 stopped cleanly, 1 could not start, 2 bad config or port in use."})
final class ServeCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "errand.yaml, a Yao task file (*.yao), or a directory of task files")
  Path config;

  @Option(names = "--port", description = "the port to listen on (0 = any free port)")
  Integer port;

  @Option(names = "--bind", description = "the address to listen on (default 127.0.0.1)")
  String bind;

  @Override
  public Integer call() throws InterruptedException {
    ErrandServer server;
    try {
      LogFormat.fromEnv(System.getenv()).install();
    } catch (IllegalArgumentException e) {
      System.err.println("errand: " + e.getMessage());
      return 2;
    }
    try {
      ConfigLoader loader = new ConfigLoader(System.getenv());
      ServerConfig cfg = config == null ? loader.defaults(Path.of("")) : loader.load(config);
      server = ErrandServer.start(withOverrides(cfg));
    } catch (ConfigException | PortInUseException e) {
      System.err.println("errand: " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      System.err.println("errand: " + e.getMessage());
      return 1;
    }
    ServerConfig cfg = server.config();
    System.out.println("Errand is serving on " + server.url() + "  (store: "
        + describe(cfg.store()) + "; queues: " + String.join(", ", cfg.queues().keySet())
        + ")");
    System.out.println("Dashboard: " + server.url() + "/   API: " + server.url()
        + "/api/queues   metrics: " + server.url() + "/metrics   stop: Ctrl-C");
    System.out.flush();
    ShutdownSignals.awaitShutdown(server, System.out);
    return 0;
  }

  private ServerConfig withOverrides(ServerConfig c) {
    if (port == null && bind == null) {
      return c;
    }
    ServerConfig.Http h = c.http();
    ServerConfig.Http http = new ServerConfig.Http(bind != null ? bind : h.bind(),
        port != null ? port : h.port(), h.token(), h.maxBodyBytes());
    return c.withHttp(http);
  }

  private static String describe(ServerConfig.Store store) {
    return switch (store.kind()) {
      case MEMORY -> "memory (nothing survives a restart)";
      case SQLITE -> "sqlite " + store.path() + ", synchronous=" + store.synchronous();
      // the URL without its parameters: they may hold a password
      case POSTGRES -> "postgres " + store.postgres().url().replaceFirst("\\?.*", "")
          + ", schema " + store.postgres().schema();
    };
  }
}
