package io.errand.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.errand.common.UrlPasswords;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class UrlPasswordsTest {
  @Test
  void masksThePasswordOfEveryUrlInTextAndKeepsTheRest() {
    assertThat(UrlPasswords.mask("clone of http://tester:secret@host/repo.git failed; retry"
        + " https://oauth2:tok@gitlab.example/x"))
        .isEqualTo("clone of http://tester:****@host/repo.git failed; retry"
            + " https://oauth2:****@gitlab.example/x");
    assertThat(UrlPasswords.mask("http://u:p@ss@host/x")).isEqualTo("http://u:****@host/x");
    assertThat(UrlPasswords.mask("{\"a\":\"http://u:pw@h\",\"b\":\"x@y\"}"))
        .isEqualTo("{\"a\":\"http://u:****@h\",\"b\":\"x@y\"}");
  }

  @Test
  void leavesUrlsWithoutAPasswordAsTheyAre() {
    for (String s : List.of("ssh://git@github.com/o/r.git", "git@github.com:o/r.git",
        "https://host/a:b@c", "mailto:a@b", "http://host:8080/x", "no url at all")) {
      assertThat(UrlPasswords.mask(s)).isSameAs(s);
      assertThat(UrlPasswords.in(s)).isFalse();
    }
    assertThat(UrlPasswords.in("http://u:****@h")).as("already masked").isFalse();
  }

  @Test
  void masksNestedValuesAndCopiesOnlyWhatChanges() {
    Map<String, Object> clean = Map.of("dir", "u", "n", 3);
    assertThat(UrlPasswords.maskValue(clean)).isSameAs(clean);
    Object masked = UrlPasswords.maskValue(Map.of("repos", List.of("http://a:b1@h/r", "x")));
    assertThat(masked).isEqualTo(Map.of("repos", List.of("http://a:****@h/r", "x")));
    record Args(String url) {}
    assertThat(UrlPasswords.maskValue(new Args("http://a:b1@h/r")))
        .isEqualTo(Map.of("url", "http://a:****@h/r"));
    assertThat(UrlPasswords.firstIn(JsonMapper.builder().build().valueToTree(
        Map.of("list", List.of("x", "ftp://u:p@h/f"))), "users.u.args"))
        .contains("users.u.args.list[1]");
  }

  @Test
  void theServersLogLinesAreMaskedMessageAndStackTrace() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    var appender = (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>)
        root.getAppender("STDERR");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), ctx.getLogger("test"),
        Level.WARN, "sync of {} failed", new IllegalStateException("cannot reach"
        + " http://tester:secret@host/repo.git"), new Object[] {"http://tester:secret@host/r"});

    String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);

    assertThat(line).contains("sync of http://tester:****@host/r failed")
        .contains("cannot reach http://tester:****@host/repo.git")
        .contains("IllegalStateException").doesNotContain("secret");
  }
}
