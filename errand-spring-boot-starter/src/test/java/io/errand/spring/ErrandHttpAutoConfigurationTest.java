package io.errand.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.QueueSpec;
import io.errand.http.ApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ErrandHttpAutoConfigurationTest {
  record Greeting(String name) {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ErrandAutoConfiguration.class,
          ErrandHttpAutoConfiguration.class))
      .withUserConfiguration(Queues.class);

  @Configuration(proxyBeanMethods = false)
  static class Queues {
    @Bean
    QueueSpec<Greeting, String> greet() {
      return QueueSpec.builder("greet", Greeting.class, String.class,
          ctx -> "hello " + ctx.args().name()).build();
    }
  }

  private static HttpResponse<String> get(int port, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheApiOfTheApplicationsErrandWithItsTokenUntilTheContextCloses() throws Exception {
    int[] port = new int[1];
    runner.withPropertyValues("errand.http.enabled=true", "errand.http.port=0",
        "errand.http.token=s3cret").run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(ErrandHttpLifecycle.class);
          port[0] = context.getBean(ApiServer.class).port();
          assertThat(port[0]).isPositive();

          HttpResponse<String> queues = get(port[0], "/api/queues", "s3cret");
          assertThat(queues.statusCode()).as(queues.body()).isEqualTo(200);
          assertThat(queues.body()).contains("\"greet\"");
          assertThat(get(port[0], "/api/queues", null).statusCode()).isEqualTo(401);
          assertThat(get(port[0], "/api/queues", "wrong").statusCode()).isEqualTo(401);
        });
    assertThat(listens(port[0])).as("stopped with the context").isFalse();
  }

  private static boolean listens(int port) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void refusesAPathWithoutAServletWebServer() {
    runner.withPropertyValues("errand.http.enabled=true", "errand.http.path=/errand",
        "errand.http.token=s3cret").run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("errand.http.path is '/errand', but this application has"
                + " no servlet web server"));
  }

  @Test
  void isOffUnlessAskedFor() {
    runner.run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(ApiServer.class).doesNotHaveBean(ErrandHttpLifecycle.class));
    runner.withPropertyValues("errand.http.enabled=false").run(context -> assertThat(context)
        .hasNotFailed().doesNotHaveBean(ApiServer.class));
  }

  @Test
  void refusesABindBeyondThisMachineWithoutAToken() {
    runner.withPropertyValues("errand.http.enabled=true", "errand.http.bind=0.0.0.0",
        "errand.http.port=0").run(context -> assertThat(context).hasFailed()
            .getFailure().rootCause().hasMessageContaining("token"));
    runner.withPropertyValues("errand.http.enabled=true", "errand.http.port=70000")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("errand.http: API server port must be between 0 and 65535,"
                + " was 70000"));
  }
}
