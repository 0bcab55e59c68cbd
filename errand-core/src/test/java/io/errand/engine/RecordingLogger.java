package io.errand.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that keeps every line with its level and the MDC of the moment. */
final class RecordingLogger extends LegacyAbstractLogger {
  /** One logged line. */
  record Line(Level level, String message, Map<String, String> mdc) {}

  final List<Line> lines = new CopyOnWriteArrayList<>();

  RecordingLogger() {
    this.name = "recording";
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
      Object[] arguments, Throwable throwable) {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    lines.add(new Line(level, MessageFormatter.basicArrayFormat(pattern, arguments),
        mdc == null ? Map.of() : Map.copyOf(mdc)));
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  public boolean isTraceEnabled() {
    return true;
  }

  @Override
  public boolean isDebugEnabled() {
    return true;
  }

  @Override
  public boolean isInfoEnabled() {
    return true;
  }

  @Override
  public boolean isWarnEnabled() {
    return true;
  }

  @Override
  public boolean isErrorEnabled() {
    return true;
  }
}
