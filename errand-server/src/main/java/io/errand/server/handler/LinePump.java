package io.errand.server.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a child's stdout or stderr to its end on a thread of its own, line by line. Each stream
 * needs its own reader: a child blocks once a pipe's buffer is full, so a stream nobody reads
 * (or one read only after the other ends) can hang the child forever.
 */
final class LinePump implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LinePump.class);

  private final InputStream in;
  private final int maxLine;
  private final Consumer<String> sink;

  private LinePump(InputStream in, int maxLine, Consumer<String> sink) {
    this.in = in;
    this.maxLine = maxLine;
    this.sink = sink;
  }

  /**
   * Starts a daemon thread named {@code name} that hands each line of {@code in} (decoded as
   * UTF-8, without its line break) to {@code sink}. A line longer than {@code maxLine}
   * characters is handed over in pieces, so memory stays bounded whatever the child prints.
   */
  static Thread start(String name, InputStream in, int maxLine, Consumer<String> sink) {
    // Platform threads: a virtual thread blocked reading a pipe would hold its carrier.
    return Thread.ofPlatform().name(name).daemon(true).start(new LinePump(in, maxLine, sink));
  }

  @Override
  public void run() {
    StringBuilder line = new StringBuilder();
    char[] buf = new char[8192];
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      int n;
      while ((n = r.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          char c = buf[i];
          if (c == '\n') {
            emit(line);
          } else {
            line.append(c);
            if (line.length() >= maxLine) {
              emit(line);
            }
          }
        }
      }
    } catch (IOException e) {
      // The stream was closed under us (the process is gone): what was read still counts.
      log.debug("output stream ended: {}", e.toString());
    }
    if (!line.isEmpty()) {
      emit(line);
    }
  }

  private void emit(StringBuilder line) {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    String s = line.substring(0, end);
    line.setLength(0);
    try {
      sink.accept(s);
    } catch (RuntimeException e) {
      // Keep draining whatever happens: a pump that stops would leave the child blocked.
      log.warn("a line of output could not be handled; reading goes on", e);
    }
  }
}
