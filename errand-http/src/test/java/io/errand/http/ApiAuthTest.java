package io.errand.http;

import static io.errand.http.ApiTasksTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.Errand;
import io.errand.common.Secret;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A configured token guards every /api route, and is never echoed. */
class ApiAuthTest {
  private static final String TOKEN = "s3cret-token-for-tests";
  private static Fixture f;
  private static Http withToken;
  private static Http noToken;
  private static Http wrongToken;

  @BeforeAll
  static void start() {
    f = new Fixture(TOKEN, b -> b);
    int port = f.server.port();
    withToken = f.http;
    noToken = new Http(port, null);
    wrongToken = new Http(port, "not-the-token");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void aServerBeyondThisMachineWithoutATokenIsRefusedWhenBuilt() {
    try (Errand errand = Errand.builder().build()) {
      assertThatThrownBy(() -> ApiServer.builder(errand).bind("0.0.0.0").port(0).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("API server token is required when bind is '0.0.0.0'");
      assertThatThrownBy(() -> ApiServer.builder(errand).bind("300.0.0.1").port(0).build())
          .hasMessage("API server bind is not a valid IP address: '300.0.0.1'");
      assertThat(ApiServer.builder(errand).bind("0.0.0.0").port(0)
          .token(Secret.of("t0ken")).build().port()).isEqualTo(-1);
    }
  }

  @Test
  void everyApiRouteNeedsTheToken() {
    List<String[]> routes = List.of(
        new String[] {"GET", "/api/health"}, new String[] {"GET", "/api/queues"},
        new String[] {"GET", "/api/queues/work"}, new String[] {"POST", "/api/queues/work/tasks"},
        new String[] {"POST", "/api/queues/work/batches"}, new String[] {"GET", "/api/tasks"},
        new String[] {"GET", "/api/tasks/1"}, new String[] {"DELETE", "/api/tasks/1"},
        new String[] {"POST", "/api/tasks/1/cancel"}, new String[] {"POST", "/api/tasks/1/progress"},
        new String[] {"GET", "/api/events"}, new String[] {"GET", "/api/supervisors"},
        new String[] {"GET", "/api/supervisors/accounts/keys"},
        new String[] {"PUT", "/api/supervisors/accounts/keys/a"},
        new String[] {"GET", "/api/supervisors/accounts/keys/a"},
        new String[] {"DELETE", "/api/supervisors/accounts/keys/a"},
        new String[] {"POST", "/api/supervisors/accounts/keys/a/pause"},
        new String[] {"POST", "/api/supervisors/accounts/keys/a/resume"});
    for (String[] r : routes) {
      Http.Response none = noToken.send(r[0], r[1], "{\"args\": 1}", "application/json");
      expectError(none, 401, "unauthorized", "Authorization: Bearer <token>");
      assertThat(none.header("WWW-Authenticate")).as(r[1]).contains("Bearer realm=\"errand\"");

      Http.Response wrong = wrongToken.send(r[0], r[1], "{\"args\": 1}", "application/json");
      expectError(wrong, 401, "unauthorized", "not valid");
      assertThat(wrong.header("WWW-Authenticate").orElseThrow()).contains("invalid_token");
      assertThat(wrong.body()).doesNotContain(TOKEN).doesNotContain("not-the-token");
    }
  }

  @Test
  void theRightTokenPasses() {
    Http.Response r = withToken.get("/api/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(TOKEN);
    assertThat(withToken.post("/api/queues/work/tasks", "{\"args\": 1}").status()).isEqualTo(201);
  }

  @Test
  void otherSchemesAreRefusedAndMetricsNeedNoToken() {
    HttpRequest basic = noToken.request("/api/health").header("Authorization", "Basic YTpi")
        .GET().build();
    expectError(noToken.send(basic), 401, "unauthorized", "must be 'Bearer <token>'");
    HttpRequest lower = noToken.request("/api/health")
        .header("Authorization", "bearer " + TOKEN).GET().build();
    assertThat(noToken.send(lower).status()).isEqualTo(200);

    HttpRequest head = noToken.request("/api/health").method("HEAD",
        HttpRequest.BodyPublishers.noBody()).build();
    assertThat(noToken.send(head).status()).isEqualTo(401);

    Http.Response metrics = noToken.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).doesNotContain(TOKEN);
  }
}
