package io.errand.server.serve;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.errand.common.UrlPasswords;

/**
 * Logback's {@code %msg} with URL passwords masked ({@code %maskedMsg} in {@code logback.xml}):
 * a log line quoting a task's arguments or a library's message never shows one, whoever logs it.
 */
public final class MaskedLogMessage extends MessageConverter {
  /** The event's message, masked. */
  @Override
  public String convert(ILoggingEvent event) {
    return UrlPasswords.mask(super.convert(event));
  }
}
