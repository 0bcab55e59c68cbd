package io.errand.server.handler;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.common.SettingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The http handler's options are checked when it is created; no message shows a secret. */
class HttpConfigTest {
  private final HttpHandlerFactory factory = new HttpHandlerFactory();

  private void refused(Map<String, ?> options, String message) {
    assertThatThrownBy(() -> factory.create(Handlers.settings(options)))
        .isInstanceOf(SettingException.class)
        .hasMessage(message);
  }

  @Test
  void theUrlIsRequiredAndMustBeHttpOrHttps() {
    refused(Map.of(), "queues.q.options.url: is required");
    refused(Map.of("url", " "), "queues.q.options.url: is required");
    refused(Map.of("url", "ftp://bob:hunter22@example.com/x"),
        "queues.q.options.url: must be an http or https URL, was 'ftp://****@example.com/x'");
    refused(Map.of("url", "example.com/hook"),
        "queues.q.options.url: must be an http or https URL, was 'example.com/hook'");
    refused(Map.of("url", "https:///hook"),
        "queues.q.options.url: must name a host, was 'https:///hook'");
    refused(Map.of("url", "https://bob:hunter22@exa mple.com/"),
        "queues.q.options.url: is not a valid URL (Illegal character in authority), was"
            + " 'https://****@exa mple.com/'");
  }

  @Test
  void unknownOptionsAreRefusedWithASuggestion() {
    refused(Map.of("url", "https://example.com/", "timout", "5s"),
        "queues.q.options.timout: unknown option (did you mean 'timeout'?); known options are"
            + " url, timeout, headers, method");
  }

  @Test
  void methodAndTimeoutAreChecked() {
    refused(Map.of("url", "https://example.com/", "method", "get"),
        "queues.q.options.method: must be POST, PUT or PATCH, was 'get'");
    refused(Map.of("url", "https://example.com/", "timeout", "0s"),
        "queues.q.options.timeout: must be positive, was 0");
  }

  @Test
  void headersAreCheckedWithoutShowingTheirValues() {
    String url = "https://example.com/";
    refused(Map.of("url", url, "headers", Map.of("Content-Type", "text/plain")),
        "queues.q.options.headers.Content-Type: is set by the handler itself and cannot be"
            + " configured");
    refused(Map.of("url", url, "headers", Map.of("Host", "other")),
        "queues.q.options.headers.Host: is managed by the HTTP client and cannot be configured");
    refused(Map.of("url", url, "headers", Map.of("Bad Name", "x")),
        "queues.q.options.headers.Bad Name: is not a valid header name");
    refused(Map.of("url", url, "headers", Map.of("X-Token", "secret-1\r\nX-Evil: 1")),
        "queues.q.options.headers.X-Token: has a value that cannot be sent (a line break or"
            + " another control character?)");
    refused(Map.of("url", "https://u:p4ss@example.com/", "headers",
        Map.of("Authorization", "Bearer abc")),
        "queues.q.options.headers.Authorization: conflicts with the credentials in url; keep"
            + " one of them");
    refused(Map.of("url", url, "headers", "X-A: 1"),
        "queues.q.options.headers: must be a map of names to text, was string");
  }
}
