package io.errand.server.serve;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.errand.common.UrlPasswords;

/**
 * Logback's {@code %ex} with URL passwords masked ({@code %maskedEx} in {@code logback.xml}):
 * an exception's message and its causes' are printed without them.
 */
public final class MaskedLogThrowable extends ThrowableProxyConverter {
  /** The event's stack trace, masked. */
  @Override
  public String convert(ILoggingEvent event) {
    return UrlPasswords.mask(super.convert(event));
  }
}
