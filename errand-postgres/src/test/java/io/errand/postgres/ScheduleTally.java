package io.errand.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts, straight from the database, the tasks each schedule occurrence yielded (by the
 * occurrence key {@code schedule:<name>@<occurrence>} every fired task has), and the schedules'
 * next occurrences, so tests compare what fired against the expected set.
 */
final class ScheduleTally {
  private ScheduleTally() {}

  /** For each schedule, the number of tasks of each occurrence that has any. */
  static Map<String, Map<Instant, Integer>> tasks(TestDatabase db, String schema) {
    Map<String, Map<Instant, Integer>> out = new TreeMap<>();
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT key, "
        + "count(*) FROM " + schema + ".tasks WHERE key LIKE 'schedule:%' GROUP BY key")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1);
          int at = key.lastIndexOf('@');
          out.computeIfAbsent(key.substring("schedule:".length(), at), k -> new TreeMap<>())
              .put(Instant.parse(key.substring(at + 1)), rs.getInt(2));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  /** Each schedule's next occurrence (the first one not decided), as the store has it. */
  static Map<String, Instant> nextDue(TestDatabase db, String schema) {
    Map<String, Instant> out = new TreeMap<>();
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT name, next_due FROM " + schema + ".schedules")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getObject(2, java.time.OffsetDateTime.class).toInstant());
        }
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  /** The occurrences {@code from}, {@code from + every}, ... before {@code until}. */
  static List<Instant> between(Instant from, Instant until, Duration every) {
    List<Instant> out = new ArrayList<>();
    for (Instant t = from; t.isBefore(until); t = t.plus(every)) {
      out.add(t);
    }
    return out;
  }
}
