package io.errand.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.QueueSpec;
import io.errand.http.ApiServlet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A real Spring Boot web application (Tomcat) serving Errand's API and dashboard under
 * {@code errand.http.path} of its own server, with the token.
 */
class ErrandMountedHttpTest {
  record Greeting(String name) {}

  @SpringBootConfiguration
  @EnableAutoConfiguration(excludeName =
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
  static class WebApp {
    @Bean
    QueueSpec<Greeting, String> greet() {
      return QueueSpec.builder("greet", Greeting.class, String.class,
          ctx -> "hello " + ctx.args().name()).build();
    }
  }

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(WebApp.class).properties("server.port=0")
        .properties(properties).run();
  }

  private static HttpResponse<String> send(int port, String method, String path, String token,
      String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).method(method, body == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheApiAndDashboardUnderThePathOfTheApplicationsServerWithTheToken()
      throws Exception {
    try (ConfigurableApplicationContext context = start("errand.http.enabled=true",
        "errand.http.path=/errand", "errand.http.token=s3cret")) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      assertThat(context.getBean(ApiServlet.class).path()).isEqualTo("/errand");

      HttpResponse<String> bare = send(port, "GET", "/errand", null, null);
      assertThat(bare.statusCode()).isEqualTo(308);
      assertThat(bare.headers().firstValue("Location")).hasValue("/errand/");
      HttpResponse<String> page = send(port, "GET", "/errand/", null, null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<title>Errand</title>")
          .contains("src=\"/errand/dashboard/app.js\"")
          .contains("href=\"/errand/dashboard/style.css\"");
      HttpResponse<String> script = send(port, "GET", "/errand/dashboard/api.js", null, null);
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("text/javascript"));

      HttpResponse<String> queues = send(port, "GET", "/errand/api/queues", "s3cret", null);
      assertThat(queues.statusCode()).as(queues.body()).isEqualTo(200);
      assertThat(queues.body()).contains("\"greet\"");
      HttpResponse<String> added = send(port, "POST", "/errand/api/queues/greet/tasks",
          "s3cret", "{\"args\": {\"name\": \"Ada\"}}");
      assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
      assertThat(added.headers().firstValue("Location")).hasValueSatisfying(
          location -> assertThat(location).startsWith("/errand/api/tasks/"));

      HttpResponse<String> refused = send(port, "GET", "/errand/api/queues", null, null);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).contains("\"unauthorized\"");
      assertThat(send(port, "GET", "/errand/api/queues", "wrong", null).statusCode())
          .isEqualTo(401);
      assertThat(send(port, "GET", "/errand/api/openapi.json", null, null).statusCode())
          .isEqualTo(401);
      // the application's own paths stay its own
      assertThat(send(port, "GET", "/api/queues", "s3cret", null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void refusesAPathOnAServerBeyondThisMachineWithoutAToken() {
    assertThatThrownBy(() -> start("errand.http.enabled=true", "errand.http.path=/errand")
        .close()).hasStackTraceContaining("errand.http.token must be set when Errand's API is"
            + " served under errand.http.path");
    assertThatThrownBy(() -> start("errand.http.enabled=true", "errand.http.path=/errand",
        "errand.http.token=s3cret", "errand.http.port=8081").close())
        .hasStackTraceContaining("errand.http.port cannot be set with errand.http.path");
    assertThatThrownBy(() -> start("errand.http.enabled=true", "errand.http.path=errand/",
        "errand.http.token=s3cret").close())
        .hasStackTraceContaining("errand.http.path: API servlet path must be a path such as");
  }

  @Test
  void aLoopbackServerNeedsNoToken() throws Exception {
    try (ConfigurableApplicationContext context = start("errand.http.enabled=true",
        "errand.http.path=/ops/errand", "server.address=127.0.0.1")) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      assertThat(send(port, "GET", "/ops/errand/api/health", null, null).statusCode())
          .isEqualTo(200);
    }
  }
}
