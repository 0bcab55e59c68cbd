package io.errand.example.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole application in this JVM, on a random port, driven over HTTP as a client would. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "example.send-time=10ms")
class MailControllerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  Outbox outbox;

  @DynamicPropertySource
  static void dataDirectory(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("errand-example");
    registry.add("errand.store.path", () -> dir.resolve("example.db").toString());
  }

  private HttpResponse<String> post(String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mails"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void takesAMailOverItsControllerAndSendsItInTheBackground() throws Exception {
    HttpResponse<String> accepted = post("{\"to\": \"ada@example.com\", \"subject\": \"hi\"}");

    assertThat(accepted.statusCode()).isEqualTo(202);
    String location = accepted.headers().firstValue("Location").orElseThrow();
    assertThat(location).matches("/mails/\\d+");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(get(location).body()).contains("\"status\":\"SUCCESS\"")
            .contains("\"result\":\"sent to ada@example.com\""));
    assertThat(outbox.sent()).contains(new Mail("ada@example.com", "hi"));
  }

  @Test
  void refusesAMailWithoutAnAddressNamingTheField() throws Exception {
    HttpResponse<String> refused = post("{\"subject\": \"hi\"}");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("to must be an e-mail address, was missing");
  }

  @Test
  void answers404ForATaskItDoesNotHave() throws Exception {
    assertThat(get("/mails/999999").statusCode()).isEqualTo(404);
  }
}
