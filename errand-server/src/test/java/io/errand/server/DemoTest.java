package io.errand.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.TaskStatus;
import io.errand.server.cli.DurationConverter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoTest {

  @Test
  void theDemoShowsARetryACancelAndATimeoutAndSummarises() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    Demo.Summary s = new Demo(20, 10, Duration.ofMillis(10), new DemoScreen(out, false)).run();

    assertThat(s.asExpected()).isTrue();
    assertThat(s.count(TaskStatus.SUCCESS)).isEqualTo(18);
    assertThat(s.flaky().errors()).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("connection reset"));
    assertThat(s.hung().errors()).extracting(e -> e.type())
        .containsExactly("timeout", "timeout", "timeout");
    assertThat(s.cancelled().cancelReason()).isEqualTo("cancelled by the demo while running");
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("Finished: 18 SUCCESS, 1 FAILURE, 1 CANCELLED")
        .contains("Run time  p50").contains("Everything happened as expected.");
  }

  @Test
  void durationsAreReadAsPeopleWriteThem() {
    DurationConverter c = new DurationConverter();
    assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(c.convert("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> c.convert("5 seconds"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("write it like 250ms, 30s, 5m, 2h, 1d or PT30S");
  }
}
