package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.server.config.ConfigLoader;
import io.errand.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of a signal's steps, observed from inside: when the drain is announced, the gate is
 * already closed, so no submit that follows the announcement can be accepted.
 */
class ShutdownSignalsTest {
  @TempDir
  Path dir;

  @Test
  void theDrainIsAnnouncedOnlyOnceSubmitsAreRefused() throws Exception {
    Path config = Files.writeString(dir.resolve("errand.yaml"), """
        server: {port: 0}
        store: {type: memory}
        shutdown_grace: 1s
        queues:
          q: {handler: demo}
        """);
    ServerConfig cfg = new ConfigLoader(Map.of()).load(config);
    ErrandServer server = ErrandServer.start(cfg);
    List<String> gateWhenAnnounced = new CopyOnWriteArrayList<>();
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8) {
      @Override
      public void println(String line) {
        if (line.contains("draining")) {
          gateWhenAnnounced.add(server.errand().isShuttingDown() ? "closed" : "open");
        }
        super.println(line);
      }
    };
    ShutdownSignals signals = new ShutdownSignals(server, out);

    signals.drain("TERM");
    signals.awaitStopped();

    assertThat(gateWhenAnnounced).containsExactly("closed");
  }
}
