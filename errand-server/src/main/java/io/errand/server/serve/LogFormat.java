package io.errand.server.serve;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * How the server writes its log lines on standard error: {@code text} (the default, one line of
 * {@code logback.xml}'s pattern per event) or {@code json} (one JSON object per line,
 * {@link MaskedJsonEncoder}), chosen by {@value #VARIABLE}. Both mask URL passwords.
 */
public enum LogFormat {
  /** Human-readable lines. */
  TEXT,
  /** One JSON object per line. */
  JSON;

  /** The environment variable that chooses the format. */
  public static final String VARIABLE = "ERRAND_LOG_FORMAT";
  /** The name of the appender in {@code logback.xml} whose format changes. */
  static final String APPENDER = "STDERR";

  /**
   * The format {@code env} asks for: {@link #TEXT} when {@value #VARIABLE} is unset or empty.
   *
   * @param env the environment
   * @return the format
   * @throws IllegalArgumentException naming the variable, its value and the allowed ones, when
   *                                  it is neither {@code text} nor {@code json}
   */
  public static LogFormat fromEnv(Map<String, String> env) {
    String value = env.get(VARIABLE);
    if (value == null || value.isEmpty()) {
      return TEXT;
    }
    return switch (value) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException(VARIABLE + " is '" + value
          + "'; it must be text or json");
    };
  }

  /**
   * Makes the server's log lines from now on use this format. Does nothing when Logback is not
   * the SLF4J binding (an application embedding the server with its own logging keeps it).
   */
  public void install() {
    if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> appender = root.getAppender(APPENDER);
    if (!(appender instanceof OutputStreamAppender<ILoggingEvent> out)) {
      return;
    }
    MaskedJsonEncoder encoder = new MaskedJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    out.stop();
    out.setEncoder(encoder);
    out.start();
  }

  /** The name as {@value #VARIABLE} takes it. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
