package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** ERRAND_LOG_FORMAT: text or json, and the JSON lines as a log shipper reads them. */
class LogFormatTest {

  @Test
  void theVariableChoosesTextOrJsonAndRefusesAnythingElseNamingItself() {
    assertThat(LogFormat.fromEnv(Map.of())).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.fromEnv(Map.of("ERRAND_LOG_FORMAT", ""))).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.fromEnv(Map.of("ERRAND_LOG_FORMAT", "text"))).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.fromEnv(Map.of("ERRAND_LOG_FORMAT", "json"))).isEqualTo(LogFormat.JSON);
    assertThatThrownBy(() -> LogFormat.fromEnv(Map.of("ERRAND_LOG_FORMAT", "xml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ERRAND_LOG_FORMAT is 'xml'; it must be text or json");
    assertThatThrownBy(() -> LogFormat.fromEnv(Map.of("ERRAND_LOG_FORMAT", "JSON")))
        .hasMessage("ERRAND_LOG_FORMAT is 'JSON'; it must be text or json");
  }

  @Test
  void jsonLinesParseAsJsonCarryTheMdcAndMaskUrlPasswords() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    @SuppressWarnings("unchecked")
    OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>)
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(LogFormat.APPENDER);
    Encoder<ILoggingEvent> text = appender.getEncoder();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LogFormat.JSON.install();
      Logger log = context.getLogger("io.errand.engine.FailureLog");
      MDC.put("errand.task_id", "42");
      MDC.put("errand.queue", "sync");
      MDC.put("errand.key", "https://ada:hunter2@git.example/repo.git");
      try {
        log.warn("task {} failed: cannot fetch {}", 42, "https://ada:hunter2@git.example/r.git");
        log.error("a \"quoted\"\nmulti-line message", new IllegalStateException(
            "connect to postgres://app:s3cret@db:5432/app failed"));
      } finally {
        MDC.clear();
      }
    } finally {
      System.setErr(err);
      appender.stop();
      appender.setEncoder(text);
      appender.start();
    }

    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("hunter2").doesNotContain("s3cret");
    List<JsonNode> lines = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : out.split("\n")) {
      lines.add(json.readTree(line)); // every line is one JSON object
    }
    assertThat(lines).hasSize(2);
    JsonNode warn = lines.get(0);
    assertThat(warn.get("level").asText()).isEqualTo("WARN");
    assertThat(warn.get("logger").asText()).isEqualTo("io.errand.engine.FailureLog");
    assertThat(warn.get("message").asText())
        .isEqualTo("task 42 failed: cannot fetch https://ada:****@git.example/r.git");
    assertThat(warn.get("mdc").get("errand.task_id").asText()).isEqualTo("42");
    assertThat(warn.get("mdc").get("errand.queue").asText()).isEqualTo("sync");
    assertThat(warn.get("mdc").get("errand.key").asText())
        .isEqualTo("https://ada:****@git.example/repo.git");
    assertThat(warn.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(warn.has("exception")).isFalse();
    JsonNode error = lines.get(1);
    assertThat(error.get("message").asText()).isEqualTo("a \"quoted\"\nmulti-line message");
    assertThat(error.get("exception").asText())
        .startsWith("java.lang.IllegalStateException: connect to postgres://app:****@db:5432/app")
        .contains("at io.errand.server.serve.LogFormatTest");
  }
}
