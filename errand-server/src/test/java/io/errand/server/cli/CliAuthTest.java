package io.errand.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with a token: the command line sends it, and says so when it is missing or wrong. */
class CliAuthTest {
  private static final String TOKEN = "tok-8f2a91c4e7";

  @TempDir
  static Path dir;
  static CliServer server;

  @BeforeAll
  static void serve() throws IOException {
    server = CliServer.start(dir, """
        server: {port: 0, token: %s}
        store: {type: memory}
        queues:
          demo: {handler: demo}
        """.formatted(TOKEN), TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void withoutATokenTheServersMessageIsShownWithExitCodeSix() {
    Cli.Result r = Cli.run("queues", "--server", server.url());
    assertThat(r.code()).isEqualTo(6);
    assertThat(r.err()).isEqualTo("errand: this API needs a token: send the header"
        + " 'Authorization: Bearer <token>'; give the token with --token or ERRAND_TOKEN\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aWrongTokenIsRefusedWithoutShowingIt() {
    Cli.Result r = Cli.run("list", "--server", server.url(), "--token", "not-the-token");
    assertThat(r.code()).isEqualTo(6);
    assertThat(r.err()).startsWith("errand: the bearer token is not valid")
        .doesNotContain("not-the-token");
  }

  @Test
  void theRightTokenGetsThrough() {
    Cli.Result r = Cli.run("submit", "demo", "{\"steps\": 1, \"step_ms\": 1}", "--wait",
        "--server", server.url(), "--token", TOKEN);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out() + r.err()).doesNotContain(TOKEN);
  }

  @Test
  void helpNeverShowsATokenEvenWhenOneIsGiven() {
    Cli.Result r = Cli.run("list", "--token", TOKEN, "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--token=TOKEN").doesNotContain(TOKEN);
  }
}
