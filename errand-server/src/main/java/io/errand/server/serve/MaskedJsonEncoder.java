package io.errand.server.serve;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.common.UrlPasswords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per log line ({@code ERRAND_LOG_FORMAT=json}), for log shippers:
 * {@code timestamp} (ISO-8601, UTC), {@code level}, {@code logger}, {@code thread},
 * {@code message}, {@code mdc} (Errand's {@code errand.task_id}, {@code errand.queue},
 * {@code errand.attempt}, {@code errand.key} and any other entry) and, when there is one,
 * {@code exception} (the stack trace as text). As in the text format, every URL password in
 * the message, the MDC and the exception is masked ({@code user:****@}).
 */
public final class MaskedJsonEncoder extends EncoderBase<ILoggingEvent> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] NEWLINE = {'\n'};

  /** Nothing before the first line. */
  @Override
  public byte[] headerBytes() {
    return null;
  }

  /**
   * The event as one line of JSON, ended by a newline.
   *
   * @param event the event
   * @return its line, in UTF-8
   */
  @Override
  public byte[] encode(ILoggingEvent event) {
    ObjectNode line = JSON.createObjectNode();
    line.put("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    line.put("level", event.getLevel().toString());
    line.put("logger", event.getLoggerName());
    line.put("thread", event.getThreadName());
    line.put("message", UrlPasswords.mask(event.getFormattedMessage()));
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null && !mdc.isEmpty()) {
      ObjectNode m = line.putObject("mdc");
      mdc.forEach((k, v) -> m.put(k, UrlPasswords.mask(v)));
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.put("exception", UrlPasswords.mask(ThrowableProxyUtil.asString(thrown)));
    }
    try {
      byte[] json = JSON.writeValueAsString(line).getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[json.length + 1];
      System.arraycopy(json, 0, out, 0, json.length);
      System.arraycopy(NEWLINE, 0, out, json.length, 1);
      return out;
    } catch (JsonProcessingException e) {
      // Cannot happen for a tree of strings; say so in a line of its own rather than drop it.
      return ("{\"level\":\"ERROR\",\"message\":\"a log line could not be written as JSON\"}\n")
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Nothing after the last line. */
  @Override
  public byte[] footerBytes() {
    return null;
  }
}
