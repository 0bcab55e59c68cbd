package io.errand.jdbc;

import io.errand.api.HistoryBucket;
import io.errand.spi.TaskHistory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The statements of {@link TaskHistory} in SQL, written once for both stores, on the table
 * {@code task_history}: one row per queue and minute (epoch minutes), counts summed by an
 * upsert so that nodes adding at once each add theirs.
 */
public final class HistoryQueries {
  private static final long MINUTE_MS = 60_000;
  private static final String COLUMNS = "queue, minute, succeeded, failed, started, wait_ms, "
      + "wait_max_ms, ran, run_ms, run_max_ms";
  private final String table;
  private final String upsert;
  private final String read;
  private final String readQueue;
  private final String prune;

  /**
   * The statements on the table {@code dialect} names.
   *
   * @param greatest the function giving the larger of two numbers ({@code max} in SQLite,
   *                 {@code greatest} in PostgreSQL)
   */
  public HistoryQueries(Dialect dialect, String greatest) {
    this.table = dialect.table("task_history");
    StringBuilder set = new StringBuilder();
    for (String c : List.of("succeeded", "failed", "started", "wait_ms", "ran", "run_ms")) {
      set.append(c).append(" = task_history.").append(c).append(" + excluded.").append(c)
          .append(", ");
    }
    set.append("wait_max_ms = ").append(greatest).append("(task_history.wait_max_ms, ")
        .append("excluded.wait_max_ms), run_max_ms = ").append(greatest)
        .append("(task_history.run_max_ms, excluded.run_max_ms)");
    this.upsert = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
        + " ?, ?) ON CONFLICT (queue, minute) DO UPDATE SET " + set;
    this.read = "SELECT " + COLUMNS + " FROM " + table
        + " WHERE minute >= ? AND minute < ? ORDER BY queue, minute";
    this.readQueue = "SELECT " + COLUMNS + " FROM " + table
        + " WHERE queue = ? AND minute >= ? AND minute < ? ORDER BY minute";
    this.prune = "DELETE FROM " + table + " WHERE minute < ?";
  }

  /**
   * Adds {@code deltas} into their rows, in the order of queue and minute so that two nodes'
   * adds in one transaction each cannot wait on each other in a cycle.
   */
  public void add(SqlRunner sql, List<HistoryBucket> deltas) throws SQLException {
    deltas.forEach(TaskHistory::checkStart);
    List<HistoryBucket> sorted = new ArrayList<>(deltas);
    sorted.sort(Comparator.comparing(HistoryBucket::queue).thenComparing(HistoryBucket::start));
    for (HistoryBucket b : sorted) {
      sql.run(upsert, ps -> {
        ps.setString(1, b.queue());
        ps.setLong(2, b.start().toEpochMilli() / MINUTE_MS);
        ps.setLong(3, b.succeeded());
        ps.setLong(4, b.failed());
        ps.setLong(5, b.started());
        ps.setLong(6, b.waitMillis());
        ps.setLong(7, b.waitMaxMillis());
        ps.setLong(8, b.ran());
        ps.setLong(9, b.runMillis());
        ps.setLong(10, b.runMaxMillis());
        return ps.executeUpdate();
      });
    }
  }

  /** The rows of {@code queue} (null: all) starting in {@code [from, to)}, by queue and time. */
  public List<HistoryBucket> read(SqlRunner sql, String queue, Instant from, Instant to)
      throws SQLException {
    TaskHistory.checkRange(from, to);
    return sql.run(queue == null ? read : readQueue, ps -> {
      int i = 1;
      if (queue != null) {
        ps.setString(i++, queue);
      }
      ps.setLong(i++, ceilMinute(from));
      ps.setLong(i, ceilMinute(to));
      List<HistoryBucket> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new HistoryBucket(rs.getString(1),
              Instant.ofEpochMilli(rs.getLong(2) * MINUTE_MS), rs.getLong(3), rs.getLong(4),
              rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
              rs.getLong(10)));
        }
      }
      return rows;
    });
  }

  /** Deletes the rows starting before {@code before}; returns how many. */
  public int prune(SqlRunner sql, Instant before) throws SQLException {
    return sql.run(prune, ps -> {
      ps.setLong(1, ceilMinute(before));
      return ps.executeUpdate();
    });
  }

  /** The first whole minute at or after {@code t}: buckets start on whole minutes. */
  private static long ceilMinute(Instant t) {
    return Math.floorDiv(t.toEpochMilli() + MINUTE_MS - 1, MINUTE_MS);
  }
}
