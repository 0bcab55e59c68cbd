package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code errand serve}'s start-up as a real process: where it listens, and when it cannot. */
class ServeStartupTest {
  @TempDir
  Path dir;

  @Test
  void aPortInUseIsOneLineAndExit2AndLeavesNoDataDirectory() throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    Path second = Files.createDirectories(dir.resolve("second"));
    try (ServerProcess holder = ServerProcess.start(first, "serve", "--port", "0")) {
      int port = holder.awaitUrl().getPort();

      try (ServerProcess server = ServerProcess.start(second, "serve", "--port",
          Integer.toString(port))) {
        assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(server.lines()).as("everything it printed").singleElement().asString()
            .startsWith("errand: cannot listen on 127.0.0.1:" + port + ": ")
            .contains("--port").doesNotContain("ERROR");
        assertThat(second.resolve("errand-data")).doesNotExist();
      }
      holder.term();
      assertThat(holder.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void withoutAConfigTheEnvironmentSetsPortBindAndToken() throws Exception {
    int port = freePort();
    Map<String, String> env = Map.of("ERRAND_PORT", Integer.toString(port),
        "ERRAND_BIND", "127.0.0.2", "ERRAND_TOKEN", "s3cret-token");
    try (ServerProcess server = ServerProcess.start(dir, env, "serve")) {
      URI url = server.awaitUrl();
      assertThat(url.getPort()).isEqualTo(port);
      assertThat(url.getHost()).isEqualTo("127.0.0.2");
      assertThat(new Api(url).get("/api/queues").status()).isEqualTo(401);
      assertThat(new Api(url, "s3cret-token").get("/api/queues").status()).isEqualTo(200);
      server.term();
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void anUnknownLogFormatStopsStartUpNamingTheVariable() throws Exception {
    try (ServerProcess server = ServerProcess.start(dir, Map.of("ERRAND_LOG_FORMAT", "xml"),
        "serve")) {
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(server.lines()).containsExactly(
          "errand: ERRAND_LOG_FORMAT is 'xml'; it must be text or json");
      assertThat(dir.resolve("errand-data")).doesNotExist();
    }
  }

  @Test
  void aBadCronInTheSchedulesStopsStartUpWithExit2NamingTheFieldAndColumn() throws Exception {
    Path config = dir.resolve("errand.yaml");
    Files.writeString(config, "queues: {reports: {handler: demo}}\n"
        + "schedules: {nightly: {queue: reports, spec: \"0 61 * * *\"}}\n");
    try (ServerProcess server = ServerProcess.start(dir, "serve", "--config",
        config.toString())) {
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(server.lines()).as("everything it printed").singleElement().asString()
          .contains("schedules.nightly.spec: cron '0 61 * * *': hour field '61' is out of"
              + " range 0-23 (column 3)");
      assertThat(dir.resolve("errand-data")).doesNotExist();
    }
  }

  @Test
  void jsonLogFormatWritesEachLogLineAsOneJsonObject() throws Exception {
    Map<String, String> env = Map.of("ERRAND_PORT", Integer.toString(freePort()),
        "ERRAND_LOG_FORMAT", "json");
    try (ServerProcess server = ServerProcess.start(dir, env, "serve")) {
      server.awaitUrl();
      server.term();
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isZero();
      // Standard output says what it serves, in words; the log lines are JSON.
      List<JsonNode> logLines = new ArrayList<>();
      for (String line : server.lines()) {
        if (line.startsWith("{")) {
          logLines.add(new ObjectMapper().readTree(line));
        }
      }
      assertThat(logLines).extracting(l -> l.get("message").asText())
          .anySatisfy(m -> assertThat(m).startsWith("shutting down: draining for up to"))
          .anySatisfy(m -> assertThat(m).startsWith("stopped: "));
      assertThat(logLines).allSatisfy(l -> assertThat(l.get("level").asText()).isNotEmpty());
    }
  }

  /** A port nobody listens on now (the kernel's pick, released at once). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
