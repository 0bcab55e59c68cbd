package io.errand.bench.durable;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts, in a run's log (the child JVM's stderr), the log records that report a lock error
 * (SQLite's {@code SQLITE_BUSY}, {@code SQLITE_LOCKED}, "database is locked"; PostgreSQL's
 * "deadlock detected", a lock time-out, "could not obtain lock", a serialization failure)
 * and those logged at
 * WARN or ERROR. A record is a line that starts a log entry (slf4j-simple's
 * {@code [thread] LEVEL logger - message}, or the JVM's {@code Exception in thread}) plus every
 * line up to the next one (the exception, its stack trace and causes), so an exception whose
 * message and causes all name the error counts once.
 */
final class LogScan {
  /** What the log held. */
  record Counts(long lockErrors, long warnings, long errors, String firstLockError) {}

  private LogScan() {}

  static boolean isLockError(String text) {
    return text != null && (text.contains("SQLITE_BUSY") || text.contains("SQLITE_LOCKED")
        || text.contains("database is locked") || text.contains("database table is locked")
        || text.contains("deadlock detected") || text.contains("lock timeout")
        || text.contains("could not obtain lock") || text.contains("could not serialize"));
  }

  static Counts scan(Path log) throws IOException {
    long lock = 0;
    long warn = 0;
    long error = 0;
    String first = null;
    boolean recordHasLock = false;
    try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (continues(line)) {
          if (!recordHasLock && isLockError(line)) {
            recordHasLock = true;
            lock++;
            first = first == null ? line.strip() : first;
          }
          continue;
        }
        recordHasLock = isLockError(line);
        if (recordHasLock) {
          lock++;
          first = first == null ? line.strip() : first;
        }
        if (line.contains(" WARN ")) {
          warn++;
        } else if (line.contains(" ERROR ")) {
          error++;
        }
      }
    }
    return new Counts(lock, warn, error, first);
  }

  /** Not the start of a log record: part of the record above. */
  private static boolean continues(String line) {
    return !line.startsWith("[") && !line.startsWith("Exception in thread");
  }
}
