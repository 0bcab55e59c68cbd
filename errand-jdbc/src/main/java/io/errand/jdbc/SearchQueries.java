package io.errand.jdbc;

import io.errand.api.FailureGroup;
import io.errand.api.TaskFilter;
import io.errand.api.TaskStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The searches of {@link io.errand.spi.TaskSearch} in SQL, written once for both stores: a page
 * of tasks matching a filter, their count, and failed tasks grouped by the error they ended
 * with. Each store gives its {@link Words}: how it compares text without case and how it reads
 * the last error's type and message out of the {@code errors} JSON.
 *
 * <p>The filter's parts become {@code AND}ed conditions on indexed columns (queue, status,
 * created_at, key) where they can; text in arguments and errors is a {@code LIKE '%text%'}
 * over the rows those leave, walked newest first, so a page stops at its limit.
 */
public final class SearchQueries {
  private final Dialect dialect;
  private final Words words;
  private final String tasks;

  /**
   * What differs between the databases for these searches.
   *
   * @param like      the operator matching a pattern without case for ASCII letters
   *                  ({@code LIKE} in SQLite, {@code ILIKE} in PostgreSQL)
   * @param errorType the SQL expression of the last error's type in a row
   * @param errorText the SQL expression of the last error's message in a row
   * @param time      how a time is bound
   */
  public record Words(String like, String errorType, String errorText, TimeParam time) {}

  /** The searches on the tables {@code dialect} names. */
  public SearchQueries(Dialect dialect, Words words) {
    this.dialect = dialect;
    this.words = words;
    this.tasks = dialect.table("tasks");
  }

  /**
   * Up to {@code limit + 1} rows matching {@code f} older than {@code cursor} (0: from the
   * newest), newest first: one more than a page tells whether more follow ({@link Paging}).
   */
  public List<StoredTask> find(SqlRunner sql, TaskFilter f, int limit, long cursor)
      throws SQLException {
    StringBuilder text;
    if (narrowRange(f)) {
      // A bounded range of at most a day is read through tasks_created and its ids sorted:
      // the primary key walked newest first would read every row newer than the range before
      // it (173 ms at 1M tasks for an hour, docs/benchmarks.md 14). "id + 0" is not the key,
      // so the database does not walk the key for the order; the ids alone come from the index
      // (SQLite: a covering index, created_at and rowid), then only the page's rows are read.
      // A wider or open range keeps the walk: it stops at the page's limit, where sorting
      // would read the whole range.
      text = new StringBuilder("SELECT ").append(StoredTask.COLUMNS).append(" FROM ")
          .append(tasks).append(" WHERE id IN (SELECT id FROM ").append(tasks)
          .append(" WHERE id < ?");
      conditions(text, f, f.status());
      text.append(" ORDER BY id + 0 DESC LIMIT ?) ORDER BY id DESC");
    } else {
      text = new StringBuilder("SELECT ").append(StoredTask.COLUMNS).append(" FROM ")
          .append(tasks).append(" WHERE id < ?");
      conditions(text, f, f.status());
      text.append(" ORDER BY id DESC LIMIT ?");
    }
    return sql.run(text.toString(), ps -> {
      ps.setLong(1, cursor > 0 ? cursor : Long.MAX_VALUE);
      int i = bind(ps, 2, f, f.status());
      ps.setInt(i, limit + 1);
      List<StoredTask> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(StoredTask.read(rs, dialect));
        }
      }
      return rows;
    });
  }

  /** How many rows match {@code f}. */
  public long count(SqlRunner sql, TaskFilter f) throws SQLException {
    StringBuilder text = new StringBuilder("SELECT count(*) FROM ").append(tasks)
        .append(" WHERE id < ?");
    conditions(text, f, f.status());
    return sql.run(text.toString(), ps -> {
      ps.setLong(1, Long.MAX_VALUE);
      bind(ps, 2, f, f.status());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** The {@code limit} largest groups of FAILURE rows matching {@code f}, by last error. */
  public List<FailureGroup> failures(SqlRunner sql, TaskFilter f, int limit)
      throws SQLException {
    StringBuilder inner = new StringBuilder("SELECT id, finished_at, ").append(words.errorType)
        .append(" AS etype, ").append(words.errorText).append(" AS etext FROM ").append(tasks)
        // The status as a literal, so that SQLite may use its partial index of failed tasks.
        .append(" WHERE id < ? AND status = '").append(TaskStatus.FAILURE).append('\'');
    conditions(inner, f, null);
    String text = "SELECT etype, etext, count(*), max(id), max(finished_at) FROM (" + inner
        + ") f GROUP BY etype, etext ORDER BY 3 DESC, 4 DESC LIMIT ?";
    return sql.run(text, ps -> {
      ps.setLong(1, Long.MAX_VALUE);
      int i = bind(ps, 2, f, null);
      ps.setInt(i, limit);
      List<FailureGroup> groups = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(1);
          groups.add(new FailureGroup(type == null ? "unknown" : type, rs.getString(2),
              rs.getLong(3), rs.getLong(4), dialect.time(rs, 5)));
        }
      }
      return groups;
    });
  }

  /** The widest range read through the creation-time index rather than newest first. */
  static final java.time.Duration NARROW_RANGE = java.time.Duration.ofDays(1);

  /** Whether {@code f} bounds creation time on both sides by at most {@link #NARROW_RANGE}. */
  static boolean narrowRange(TaskFilter f) {
    return f.from() != null && f.to() != null
        && java.time.Duration.between(f.from(), f.to()).compareTo(NARROW_RANGE) <= 0;
  }

  private void conditions(StringBuilder text, TaskFilter f, TaskStatus status) {
    if (f.queue() != null) {
      text.append(" AND queue = ?");
    }
    if (status != null) {
      text.append(" AND status = ?");
    }
    if (f.from() != null) {
      text.append(" AND created_at >= ?");
    }
    if (f.to() != null) {
      text.append(" AND created_at < ?");
    }
    if (f.text() != null) {
      String like = " " + words.like + " ? ESCAPE '\\'";
      text.append(" AND (id = ? OR key").append(like).append(" OR args").append(like)
          .append(" OR errors").append(like).append(')');
    }
  }

  private int bind(PreparedStatement ps, int first, TaskFilter f, TaskStatus status)
      throws SQLException {
    int i = first;
    if (f.queue() != null) {
      ps.setString(i++, f.queue());
    }
    if (status != null) {
      ps.setString(i++, status.name());
    }
    if (f.from() != null) {
      words.time.set(ps, i++, f.from());
    }
    if (f.to() != null) {
      words.time.set(ps, i++, f.to());
    }
    if (f.text() != null) {
      ps.setLong(i++, f.textAsId());
      String pattern = "%" + escaped(f.text()) + "%";
      ps.setString(i++, pattern);
      ps.setString(i++, pattern);
      ps.setString(i++, pattern);
    }
    return i;
  }

  /** {@code text} with the pattern characters of LIKE taken literally. */
  static String escaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
